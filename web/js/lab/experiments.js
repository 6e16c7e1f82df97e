// The lab's experiments: what each one trains, for how long, and what it plots.
//
// Shared by the page (controls, plots, summaries) and the worker (which lanes to train and when to
// probe). Each experiment is a table of named, typed parameters (serialised to the URL hash by
// ui/page-state.js, in its format) and a few pure functions of those values:
//
//   lanes(v)        → [{ key, label, config }]   one network each (engine config, docs/training.md);
//                                                 lanes of one experiment share seed and hence initial weights
//   schedule        'together' — every lane trains `chunk(v)` steps, then all report (curves over steps);
//                   chunks are at most 250 steps, so Pause (which waits for the chunk) answers within a second
//                   'sweep'    — lanes train one after another for `steps` each; each lane gives one point
//   probe(v)        → { etas } | null            Santurkar probe after every chunk
//   note(v)         → text (optional)            said under `explain` for these values (e.g. the paper's length)
//   plots(v)        → [{ id, title, x: { label, log }, y: { label, log }, series: [{ key, label, lane, dash }] }]
//   record(tables, report, v)                   appends the chunk's numbers to the plot tables
//   summarise(tables, v, status, summary) → { plotId: text } the words a screen reader gets for each plot
//
// Nothing here reduces a run to its drifts, medians or largest stable rate: the engine does
// (cpp/src/training/run_summary.cpp, keyed by the experiment's id, reading each lane's role from its
// config). `summary` is its summary of the run so far (null until the first one arrives); the words
// quote it, and the same object is what a finished run hands to step 3's questions (docs/exercises.md).
//
// The numbers below (learning rates, lengths) were chosen by running each configuration natively with
// `bnkata train` and in the page; the lesson text states what those runs showed.

import { readInstructorSettings } from '../exercises/instructor.js';
import { formatNumber } from '../ui/format.js';
import { smallBatchExperiment } from './small-batch.js';

// The lab's default seed: an instructor's ?seed= (exercises/instructor.js) seeds the lab too, so a class
// that opens one link sees the same runs; the lab's seeds are 32-bit, so a larger link seed is taken
// modulo 2^32. Without ?seed= the default is 1, the seed the lesson's quoted numbers come from.
const LAB_SEEDS = 4294967296;
function defaultLabSeed() {
  if (typeof window === 'undefined' || !window.location) return 1;
  const linkSeed = readInstructorSettings(window.location).seed;
  return linkSeed === null ? 1 : linkSeed % LAB_SEEDS;
}
const seed = { type: 'int', default: defaultLabSeed(), min: 0, max: LAB_SEEDS - 1, label: 'Seed' };
const mnistFig1 = [784, 100, 100, 100, 10];
// The settings most experiments share: how long to train and at what rate (the default rate differs).
const steps = { type: 'int', default: 2000, min: 100, max: 50000, label: 'Steps' };
const learningRate = (byDefault) => ({ type: 'number', default: byDefault, min: 1e-6, max: 100, label: 'Learning rate' });
const PAPER_STEPS = 50000;  // Ioffe & Szegedy 2015, §4.1: "50000 steps, with 60 examples per mini-batch"

// One experiment's two lanes: the same config with and without BN (before the nonlinearity, as Ioffe).
function pair(config, bnExtra = {}) {
  return [
    { key: 'plain', label: 'without BN', config: { ...config, batchnorm: 'none' } },
    { key: 'bn', label: 'with BN', config: { ...config, batchnorm: 'before', ...bnExtra } },
  ];
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
const num = (x) => formatNumber(x, { decimals: 3 });  // the page's one number format, to 3 decimals
const last = (array) => (array.length ? array[array.length - 1] : undefined);

function appendRow(table, x, values) {
  table.x.push(x);
  for (const key of Object.keys(table.series)) table.series[key].push(key in values ? values[key] : null);
}

// ------------------------------------------------------------------------------------------------
// Ioffe & Szegedy 2015, Fig. 1

const fig1 = {
  title: 'Ioffe & Szegedy, Fig. 1: MNIST, 3 × 100 sigmoid units, batch 60',
  explain: 'Both networks start from the same weights and see the same batches. Watch two things: test accuracy ' +
    '(with BN it passes 90 % within a few hundred steps), and the two percentile panels. Without BN the input of the ' +
    'watched sigmoid starts as a narrow band and spreads out over the first couple of thousand steps, as the layers ' +
    'below it learn (seed 1: from 0.08 wide to 2.2); with BN it is wide from the first measurement on and changes ' +
    'much less (2.1 to 3.0). The medians barely move in either network, so step 3\'s question measures the span. ' +
    'The data are 8,000 training digits of MNIST (and 2,000 test digits), not the paper\'s 60,000. The paper gives no optimizer or ' +
    'learning rate: with plain SGD at 0.5 the network without BN catches up within 3,000 steps, so the lab uses 0.1, ' +
    'where the difference lasts. The paper trained 50,000 steps; the default here is 3,000.',
  needsMnist: true,
  schedule: 'together',
  params: {
    seed,
    steps: {
      type: 'choice', default: 3000, label: 'Steps',
      choices: [{ value: 3000, label: '3,000 (reduced)' }, { value: 10000, label: '10,000' }, { value: PAPER_STEPS, label: '50,000 (the paper\'s length)' }],
    },
    lr: learningRate(0.1),
  },
  lanes: (v) => pair({
    seed: v.seed, sizes: mnistFig1, activation: 'sigmoid', init_scale: 0.1, learning_rate: v.lr,
    batch_size: 60, test_examples: 2000, monitor_layer: -1, monitor_unit: 0, data: { kind: 'external' },
  }),
  // The paper's length (steps=50000 in a link) next to the paper's run: what is the same, what is not.
  note: (v) => (v.steps < PAPER_STEPS ? '' : 'This run has the paper\'s length: 50,000 steps of 60 examples. It is not the ' +
    'paper\'s run. Ioffe & Szegedy trained on all 60,000 MNIST training digits with an optimizer and learning rate they do ' +
    'not state, and tested on its 10,000 test digits; here both networks see the lab\'s 8,000 training digits (375 passes ' +
    'over them, so they can learn those digits by heart, which the paper\'s networks could not), with plain SGD at the ' +
    'learning rate above, and are tested on 2,000 other digits. The networks are measured every 250 steps, so each curve ' +
    'has 200 points.'),
  totalSteps: (v) => v.steps,
  // At most 250 steps per chunk (Pause answers within one), and at most 200 measurements per run.
  chunk: (v) => Math.min(250, Math.max(50, Math.round(v.steps / 60))),
  probe: () => null,
  plots: () => [
    { id: 'accuracy', title: 'Test accuracy', x: { label: 'training step' }, y: { label: 'test accuracy', range: [0, 1] },
      series: [{ key: 'plain', label: 'without BN', lane: 'plain' }, { key: 'bn', label: 'with BN', lane: 'bn' }] },
    { id: 'pct-plain', title: 'Without BN: one last-layer sigmoid\'s input', group: 'pct', x: { label: 'training step' }, y: { label: 'sigmoid input' },
      series: [{ key: 'p85', label: '85th percentile', lane: 'plain', dash: true }, { key: 'p50', label: 'median', lane: 'plain' }, { key: 'p15', label: '15th percentile', lane: 'plain', dash: true }] },
    { id: 'pct-bn', title: 'With BN: the same sigmoid\'s input', group: 'pct', x: { label: 'training step' }, y: { label: 'sigmoid input' },
      series: [{ key: 'p85', label: '85th percentile', lane: 'bn', dash: true }, { key: 'p50', label: 'median', lane: 'bn' }, { key: 'p15', label: '15th percentile', lane: 'bn', dash: true }] },
  ],
  record(tables, report) {
    const { step, lanes } = report;
    appendRow(tables.accuracy, step, { plain: lanes.plain.test.accuracy, bn: lanes.bn.test.accuracy });
    for (const lane of ['plain', 'bn']) {
      const m = lanes[lane].monitor;
      appendRow(tables[`pct-${lane}`], step, { p15: m.p15, p50: m.p50, p85: m.p85 });
    }
  },
  summarise(tables, v, status, summary) {
    const a = tables.accuracy;
    if (!a.x.length) return { accuracy: 'No steps trained yet.', 'pct-plain': 'No steps trained yet.', 'pct-bn': 'No steps trained yet.' };
    const step = last(a.x);
    const out = {
      accuracy: `After ${step} steps the test accuracy is ${pct(last(a.series.bn))} with BN and ${pct(last(a.series.plain))} without. ` +
        `${crossing(a, 0.9)}`,
    };
    for (const lane of ['plain', 'bn']) {
      const t = tables[`pct-${lane}`];
      const [p15, p50, p85] = ['p15', 'p50', 'p85'].map((k) => t.series[k]);
      const spread = (i) => (p85[i] ?? NaN) - (p15[i] ?? NaN);
      const side = summary && summary[lane === 'bn' ? 'with_bn' : 'without_bn'];
      out[`pct-${lane}`] = `${lane === 'bn' ? 'With' : 'Without'} BN, at step ${t.x[0]} the sigmoid's input had median ${num(p50[0])} ` +
        `and its 15th–85th percentiles spanned ${num(spread(0))} (${num(p15[0])} to ${num(p85[0])}); at step ${last(t.x)} the median is ${num(last(p50))} ` +
        `and the span ${num(spread(p15.length - 1))} (${num(last(p15))} to ${num(last(p85))}).` +
        (side ? ` Over the run the median moved by up to ${num(side.p50_drift)} and the span by up to ${num(side.span_drift)}.` : '');
    }
    return out;
  },
};

function firstReach(table, key, level) {
  const i = table.series[key].findIndex((y) => y !== null && y >= level);
  return i < 0 ? null : table.x[i];
}

function crossing(table, level) {
  const bn = firstReach(table, 'bn', level), plain = firstReach(table, 'plain', level);
  const say = (s, who) => (s === null ? `${who} has not reached ${pct(level)} yet` : `${who} reached ${pct(level)} at step ${s}`);
  return `${say(bn, 'With BN the net')}; ${say(plain, 'without BN it')}.`;
}

// ------------------------------------------------------------------------------------------------
// Santurkar et al. 2018: the loss landscape along the gradient

const ETAS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2];

const landscape = {
  title: 'Santurkar et al.: how smooth is the loss along the gradient?',
  explain: 'Every chunk of steps, each network is probed where it stands: take the gradient g on the current batch, ' +
    'step to w − ηg for η from 0.05 to 3.2, and measure the loss and the gradient there (the run itself is not ' +
    'changed). Santurkar et al. found that with BN the loss varies less along the gradient, the gradient changes ' +
    'less (it is more "predictive"), and the gradient\'s Lipschitz constant along the step is smaller (how much the ' +
    'gradient can change per unit moved; the paper calls it "effective β-smoothness", a β that has nothing to do with ' +
    'BN\'s shift β). The summaries give medians over the ' +
    'run; the plots show how noisy single probes are — the gap is clearest early in training, and part of the ' +
    'narrower loss range with BN comes simply from its lower loss.',
  needsMnist: true,
  schedule: 'together',
  params: {
    seed,
    steps,
    lr: learningRate(0.1),
  },
  lanes: (v) => pair({
    seed: v.seed, sizes: mnistFig1, activation: 'sigmoid', init_scale: 0.1, learning_rate: v.lr,
    batch_size: 60, test_examples: 500, data: { kind: 'external' },
  }),
  totalSteps: (v) => v.steps,
  chunk: (v) => Math.min(250, Math.max(25, Math.round(v.steps / 40))),
  probe: () => ({ etas: ETAS }),
  plots: () => [
    { id: 'loss-range', title: 'Range of the loss along the gradient', x: { label: 'training step' }, y: { label: 'loss', log: true },
      series: [{ key: 'plainMax', label: 'without BN, max', lane: 'plain' }, { key: 'plainMin', label: 'without BN, min', lane: 'plain', dash: true },
        { key: 'bnMax', label: 'with BN, max', lane: 'bn' }, { key: 'bnMin', label: 'with BN, min', lane: 'bn', dash: true }] },
    { id: 'predictiveness', title: 'Gradient predictiveness: largest ‖∇L(w) − ∇L(w − ηg)‖', x: { label: 'training step' }, y: { label: 'gradient change', log: true },
      series: [{ key: 'plain', label: 'without BN', lane: 'plain' }, { key: 'bn', label: 'with BN', lane: 'bn' }] },
    { id: 'beta', title: 'Gradient Lipschitz constant along the step (Santurkar’s “effective β-smoothness”)', x: { label: 'training step' }, y: { label: 'max ‖Δ∇L‖ / ‖ηg‖', log: true },
      series: [{ key: 'plain', label: 'without BN', lane: 'plain' }, { key: 'bn', label: 'with BN', lane: 'bn' }] },
  ],
  record(tables, report) {
    const { step, probes } = report;
    appendRow(tables['loss-range'], step, {
      plainMin: probes.plain.loss_range[0], plainMax: probes.plain.loss_range[1],
      bnMin: probes.bn.loss_range[0], bnMax: probes.bn.loss_range[1],
    });
    appendRow(tables.predictiveness, step, { plain: probes.plain.predictiveness_range[1], bn: probes.bn.predictiveness_range[1] });
    appendRow(tables.beta, step, { plain: probes.plain.beta_smoothness, bn: probes.bn.beta_smoothness });
  },
  summarise(tables, v, status, summary) {
    const r = tables['loss-range'];
    if (!r.x.length) return { 'loss-range': 'No probes yet.', predictiveness: 'No probes yet.', beta: 'No probes yet.' };
    if (!summary) {
      const waiting = `${r.x.length} probes so far (steps ${r.x[0]}–${last(r.x)}); their medians follow.`;
      return { 'loss-range': waiting, predictiveness: waiting, beta: waiting };
    }
    const [bn, plain] = [summary.with_bn, summary.without_bn];
    return {
      'loss-range': `Over ${bn.probes} probes (steps ${r.x[0]}–${summary.steps}), moving along the gradient by η from ${ETAS[0]} to ${last(ETAS)} changed the loss by a median of ${num(bn.loss_range_width)} with BN and ${num(plain.loss_range_width)} without.`,
      predictiveness: `The median over probes of the largest gradient change is ${num(bn.gradient_change)} with BN and ${num(plain.gradient_change)} without.`,
      beta: `The median gradient Lipschitz constant along the step is ${num(bn.beta_smoothness)} with BN and ${num(plain.beta_smoothness)} without (smaller is smoother).`,
    };
  },
};

// ------------------------------------------------------------------------------------------------
// Sweeps: one point per lane, lanes trained one after another

function sweep({ id, title, values, param, axisLabel, laneConfig, steps, ylabel, measure, words }) {
  return {
    title,
    needsMnist: true,
    schedule: 'sweep',
    params: {
      seed,
      steps: { type: 'int', default: steps, min: 50, max: 20000, label: 'Steps per point' },
    },
    lanes: (v) => values.flatMap((value) => pair(laneConfig(v, value)).map((lane) => ({
      ...lane, key: `${lane.key}@${value}`, series: lane.key, x: value, label: `${lane.label}, ${param} = ${value}`,
    }))),
    totalSteps: (v) => v.steps,
    chunk: (v) => Math.min(v.steps, 100),
    probe: () => null,
    plots: () => [{
      id, title: `${ylabel} after training, by ${axisLabel}`, x: { label: axisLabel, log: true }, y: { label: ylabel, range: [0, 1] },
      series: [{ key: 'plain', label: 'without BN', lane: 'plain', points: true }, { key: 'bn', label: 'with BN', lane: 'bn', points: true }],
    }],
    record(tables, report) {
      // A sweep point arrives when its lane finishes; the two lanes of one x share a row.
      const t = tables[id];
      let i = t.x.indexOf(report.lane.x);
      if (i < 0) { appendRow(t, report.lane.x, {}); i = t.x.length - 1; }
      t.series[report.lane.series][i] = report.diverged ? 0 : measure(report.metrics);
      t.diverged = t.diverged || {};
      if (report.diverged) t.diverged[`${report.lane.series}@${report.lane.x}`] = true;
    },
    summarise(tables, v, status, summary) {
      const t = tables[id];
      if (!t.x.length) return { [id]: 'No points yet.' };
      return { [id]: summary ? words(summary, t) + divergedWords(t) : `${t.x.length} of ${values.length} points so far.` };
    },
  };
}

const listed = (xs) => (xs && xs.length ? xs.join(', ') : 'none');
const divergedAt = (t, lane) => t.x.filter((x) => (t.diverged || {})[`${lane}@${x}`]);
const divergedWords = (t) =>
  `${divergedAt(t, 'plain').length ? ` Without BN the runs at ${listed(divergedAt(t, 'plain'))} diverged (plotted at 0).` : ''}` +
  `${divergedAt(t, 'bn').length ? ` With BN the runs at ${listed(divergedAt(t, 'bn'))} diverged (plotted at 0).` : ''}`;
const rate = (lr) => (lr > 0 ? lr : 'none');

const lrSweep = sweep({
  id: 'lr', title: 'Largest learning rate that reaches 80 % test accuracy (Bjorck et al.)',
  explain: 'Each point trains a fresh copy of the Fig. 1 network for the given number of steps at one learning rate. ' +
    '"Trains" means the test accuracy reaches 80 %. Without BN, too large a step saturates the sigmoids and the ' +
    'network stays at chance (its loss stays finite: it is stuck, not diverged); with BN the same steps are ' +
    'normalised away layer by layer, so much larger rates still train.', param: 'η', axisLabel: 'learning rate',
  values: [0.03, 0.1, 0.3, 1, 3, 10, 30, 100], steps: 500, ylabel: 'Test accuracy',
  laneConfig: (v, lr) => ({ seed: v.seed, sizes: mnistFig1, activation: 'sigmoid', init_scale: 0.1, learning_rate: lr, batch_size: 60, test_examples: 1000, data: { kind: 'external' } }),
  measure: (m) => m.test.accuracy,
  words: ({ max_stable_lr: best }) => `Counting a learning rate as "trains" when test accuracy reaches 80 % without diverging: ` +
    `the largest such rate is ${rate(best.with_bn)} with BN and ${rate(best.without_bn)} without.`,
});

const INIT_SCALES = [1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2, 3.16e-2, 1e-1, 3.16e-1, 1];
const initSweep = sweep({
  id: 'init', title: 'Weight initialisation scale, logspace(−4, 0) (cs231n), 8 hidden layers',
  explain: 'An 8-hidden-layer ReLU network, one fresh copy per weight scale. Without BN, small weights shrink the signal ' +
    'layer after layer until every input gives the same output (a constant guess), and large ones grow it until it ' +
    'overflows — the run then stops as diverged. BN rescales each layer, so the scale hardly matters — until it is ' +
    'so small (10⁻⁴) that the pre-activations\' variance falls below ε = 10⁻⁵ and BN can no longer normalise them.', param: 'scale', axisLabel: 'weight init std',
  values: INIT_SCALES, steps: 500, ylabel: 'Test accuracy',
  laneConfig: (v, scale) => ({ seed: v.seed, sizes: [784, 100, 100, 100, 100, 100, 100, 100, 100, 10], activation: 'relu', init_scale: scale, learning_rate: 0.1, batch_size: 60, test_examples: 1000, data: { kind: 'external' } }),
  measure: (m) => m.test.accuracy,
  words: ({ scales_that_train: { with_bn: bn, without_bn: plain } }, t) => `Counting a scale as "trains" when test accuracy reaches 50 %: with BN the net trains at ` +
    `${bn.length} of ${t.x.length} scales (init std ${listed(bn)}); without BN at ${plain.length} (${listed(plain)}).`,
});

// ------------------------------------------------------------------------------------------------
// Batch size: BN's statistics come from the batch, so tiny batches make them noisy

const BATCHES = [5, 10, 60];
const batchSize = {
  title: 'Batch size 5, 10 and 60: BN estimates μ and σ² from the batch',
  explain: 'Six networks train the same number of steps: with and without BN at batch sizes 5, 10 and 60. BN estimates ' +
    'μ and σ² from each batch, so at batch 5 its estimates are noisy. Compare how much each colour loses as the ' +
    'batch shrinks — remembering that a smaller batch also means fewer examples seen in the same number of steps, ' +
    'with or without BN.',
  needsMnist: true,
  schedule: 'together',
  params: {
    seed,
    steps,
    lr: learningRate(0.1),
  },
  lanes: (v) => BATCHES.flatMap((b) => pair({
    seed: v.seed, sizes: mnistFig1, activation: 'sigmoid', init_scale: 0.1, learning_rate: v.lr, batch_size: b, test_examples: 1000, data: { kind: 'external' },
  }).map((lane) => ({ ...lane, key: `${lane.key}${b}`, label: `${lane.label}, batch ${b}`, colourOf: lane.key }))),
  totalSteps: (v) => v.steps,
  chunk: (v) => Math.min(250, Math.max(25, Math.round(v.steps / 40))),
  probe: () => null,
  plots: () => [{
    id: 'accuracy', title: 'Test accuracy by batch size', x: { label: 'training step' }, y: { label: 'test accuracy', range: [0, 1] },
    series: BATCHES.flatMap((b) => [
      { key: `plain${b}`, label: `without BN, batch ${b}`, lane: 'plain', shade: BATCHES.indexOf(b) },
      { key: `bn${b}`, label: `with BN, batch ${b}`, lane: 'bn', shade: BATCHES.indexOf(b) },
    ]),
  }],
  record(tables, report) {
    const values = {};
    for (const [key, m] of Object.entries(report.lanes)) values[key] = m.test.accuracy;
    appendRow(tables.accuracy, report.step, values);
  },
  summarise(tables) {
    const a = tables.accuracy;
    if (!a.x.length) return { accuracy: 'No steps trained yet.' };
    return {
      accuracy: `After ${last(a.x)} steps, test accuracy with BN is ` + BATCHES.map((b) => `${pct(last(a.series[`bn${b}`]))} at batch ${b}`).join(', ') +
        `; without BN ` + BATCHES.map((b) => `${pct(last(a.series[`plain${b}`]))} at batch ${b}`).join(', ') + '.',
    };
  },
};

// ------------------------------------------------------------------------------------------------
// Ioffe §2: ignore that μ_B depends on the bias, and the bias grows while the loss does not move

const biasBlowup = {
  title: 'Ioffe §2: no gradient through μ_B, and the bias blows up',
  explain: 'Ioffe & Szegedy\'s thought experiment (§2): a layer adds a bias b and BN subtracts the batch mean. If ' +
    'the gradient ignores that μ_B depends on b, each step moves b, BN subtracts the moved mean again, and the ' +
    'layer\'s output — hence the loss — does not change; so the gradient asks for the same move again, and b grows ' +
    'without bound. Two BN networks (BN before each sigmoid, on 2-D blobs) start from the same weights; as in the ' +
    'paper\'s thought experiment, only the biases before BN learn (every other parameter is frozen, so nothing else can move the loss), ' +
    'and every step uses the same 60 examples (so the loss is one function of the weights, not a new batch\'s). ' +
    'One network backpropagates through μ_B and σ²_B as BN must; the other treats them as constants. Seed 1: the ' +
    'first bias grows by the same amount every step (from 0 to about 180 in 2,000 steps) while both losses stay ' +
    'at 1.137 to five digits; with the full gradient the bias gets no push at all (it stays below 10⁻⁵), which is ' +
    'why BN layers drop it. (Train the weights as well and the loss falls, for reasons that have nothing to do ' +
    'with b — which is why they are frozen here.)',
  needsMnist: false,
  schedule: 'together',
  params: {
    seed,
    steps,
    lr: learningRate(0.5),
  },
  lanes: (v) => {
    const config = {
      seed: v.seed, sizes: [2, 16, 16, 3], activation: 'sigmoid', batchnorm: 'before', trainable: 'bias_before_bn',
      learning_rate: v.lr, batch_size: 60, test_examples: 60, data: { kind: 'blobs', train: 60, test: 60 },
    };
    return [
      { key: 'full', label: 'BN, gradient through μ_B and σ²_B', config: { ...config, bn_grad_through_stats: true }, colourOf: 'bn' },
      { key: 'ignored', label: 'BN, μ_B and σ²_B treated as constants', config: { ...config, bn_grad_through_stats: false }, colourOf: 'plain' },
    ];
  },
  totalSteps: (v) => v.steps,
  chunk: (v) => Math.min(250, Math.max(25, Math.round(v.steps / 40))),
  probe: () => null,
  plots: () => [
    { id: 'bias', title: 'Norm of the first layer\'s bias', x: { label: 'training step' }, y: { label: '‖b‖' },
      series: [{ key: 'ignored', label: 'μ_B treated as constant', lane: 'plain' }, { key: 'full', label: 'gradient through μ_B', lane: 'bn' }] },
    { id: 'loss', title: 'Training loss (the same 60 examples every step)', x: { label: 'training step' }, y: { label: 'loss' },
      series: [{ key: 'ignored', label: 'μ_B treated as constant', lane: 'plain' }, { key: 'full', label: 'gradient through μ_B', lane: 'bn' }] },
  ],
  record(tables, report) {
    const { step, lanes } = report;
    appendRow(tables.bias, step, { ignored: lanes.ignored.layers[0].bias_norm, full: lanes.full.layers[0].bias_norm });
    appendRow(tables.loss, step, { ignored: lanes.ignored.loss, full: lanes.full.loss });
  },
  summarise(tables) {
    const b = tables.bias, l = tables.loss;
    if (!b.x.length) return { bias: 'No steps trained yet.', loss: 'No steps trained yet.' };
    return {
      bias: `With μ_B treated as a constant, the first layer's bias norm went from ${num(b.series.ignored[0])} at step ${b.x[0]} to ${num(last(b.series.ignored))} at step ${last(b.x)}` +
        `${b.series.ignored.length > 2 && last(b.series.ignored) > b.series.ignored[b.series.ignored.length - 2] ? ', and it is still growing' : ''}. ` +
        `With the full gradient it went from ${num(b.series.full[0])} to ${num(last(b.series.full))}.`,
      loss: `Training loss went from ${l.series.ignored[0]?.toFixed(5)} to ${last(l.series.ignored)?.toFixed(5)} with μ_B treated as constant, ` +
        `and from ${l.series.full[0]?.toFixed(5)} to ${last(l.series.full)?.toFixed(5)} with the full gradient.`,
    };
  },
};

// ------------------------------------------------------------------------------------------------
// Depth: per-layer statistics in a 10-layer net

const DEPTH = 10;
const depth = {
  title: 'Depth: activations and gradients layer by layer in a 10-layer net',
  explain: 'Ten hidden layers of 50 units on a 2-D data set. Dashed: at the first measurement (after one chunk of ' +
    'steps); solid: now. With weights of std 0.5/√fan-in and tanh, the signal without BN shrinks layer after ' +
    'layer (the summary under each plot gives this run\'s numbers), and the first layer\'s gradient is far ' +
    'smaller than with BN, so the network learns slowly. With BN every layer keeps about the same spread, and the ' +
    'gradient norms of all layers stay within a small factor of each other. Try ReLU with init 2: without BN the ' +
    'signal explodes and the run diverges.',
  needsMnist: false,
  schedule: 'together',
  params: {
    seed,
    data: { type: 'choice', default: 'spiral', label: 'Data', choices: [{ value: 'spiral', label: 'spiral (2-D)' }, { value: 'circles', label: 'circles (2-D)' }, { value: 'blobs', label: 'blobs (2-D)' }] },
    activation: { type: 'choice', default: 'tanh', label: 'Nonlinearity', choices: [{ value: 'tanh', label: 'tanh' }, { value: 'relu', label: 'ReLU' }, { value: 'sigmoid', label: 'sigmoid' }] },
    init: { type: 'choice', default: 0.5, label: 'Weight std × √fan-in', choices: [{ value: 0.5, label: '0.5' }, { value: 1, label: '1' }, { value: 2, label: '2' }] },
    steps: { type: 'int', default: 2000, min: 10, max: 50000, label: 'Steps' },
    lr: learningRate(0.1),
  },
  lanes: (v) => {
    const classes = v.data === 'circles' ? 2 : 3;
    return pair({
      seed: v.seed, sizes: [2, ...Array(DEPTH).fill(50), classes], activation: v.activation, init_scale: v.init, init_mode: 'fan_in',
      learning_rate: v.lr, batch_size: 60, test_examples: 500, data: { kind: v.data, train: 1000, test: 500, noise: 0.1 },
    });
  },
  totalSteps: (v) => v.steps,
  chunk: (v) => Math.min(250, Math.max(10, Math.round(v.steps / 40))),
  probe: () => null,
  plots: () => [
    { id: 'act', title: 'Spread (std) of each hidden layer\'s activations', snapshot: true, x: { label: 'hidden layer', integer: true }, y: { label: 'activation std', log: true },
      series: [{ key: 'plain0', label: 'without BN, first', lane: 'plain', dash: true, points: true }, { key: 'plain', label: 'without BN, now', lane: 'plain', points: true },
        { key: 'bn0', label: 'with BN, first', lane: 'bn', dash: true, points: true }, { key: 'bn', label: 'with BN, now', lane: 'bn', points: true }] },
    { id: 'grad', title: 'Gradient norm ‖∂L/∂W‖ of each layer', snapshot: true, x: { label: 'layer (11 = output)', integer: true }, y: { label: 'weight gradient norm', log: true },
      series: [{ key: 'plain0', label: 'without BN, first', lane: 'plain', dash: true, points: true }, { key: 'plain', label: 'without BN, now', lane: 'plain', points: true },
        { key: 'bn0', label: 'with BN, first', lane: 'bn', dash: true, points: true }, { key: 'bn', label: 'with BN, now', lane: 'bn', points: true }] },
    { id: 'accuracy', title: 'Test accuracy', x: { label: 'training step' }, y: { label: 'test accuracy', range: [0, 1] },
      series: [{ key: 'plain', label: 'without BN', lane: 'plain' }, { key: 'bn', label: 'with BN', lane: 'bn' }] },
  ],
  record(tables, report) {
    const { step, lanes } = report;
    // Snapshot plots: the first measurement is kept (…0 series), the latest replaces the previous one.
    const first = !tables.act.x.length;
    const hidden = lanes.plain.layers.length - 1;
    for (let l = 0; l < hidden; l++) {
      if (first) appendRow(tables.act, l + 1, { plain0: lanes.plain.layers[l].activation_std, bn0: lanes.bn.layers[l].activation_std });
      tables.act.series.plain[l] = lanes.plain.layers[l].activation_std;
      tables.act.series.bn[l] = lanes.bn.layers[l].activation_std;
    }
    for (let l = 0; l <= hidden; l++) {
      if (first) appendRow(tables.grad, l + 1, { plain0: lanes.plain.layers[l].weight_grad_norm, bn0: lanes.bn.layers[l].weight_grad_norm });
      tables.grad.series.plain[l] = lanes.plain.layers[l].weight_grad_norm;
      tables.grad.series.bn[l] = lanes.bn.layers[l].weight_grad_norm;
    }
    if (first) tables.act.firstStep = step;
    tables.act.step = step;
    appendRow(tables.accuracy, step, { plain: lanes.plain.test.accuracy, bn: lanes.bn.test.accuracy });
  },
  summarise(tables) {
    const a = tables.act, g = tables.grad, acc = tables.accuracy;
    if (!acc.x.length) return { act: 'No steps trained yet.', grad: 'No steps trained yet.', accuracy: 'No steps trained yet.' };
    const span = (s) => `${num(s[0])} at layer 1 to ${num(last(s))} at layer ${s.length}`;
    const ratio = (s) => (s[0] && last(s) ? last(s) / s[0] : null);
    return {
      act: `At step ${a.firstStep} the activation std went from ${span(a.series.plain0)} without BN, and from ${span(a.series.bn0)} with BN. ` +
        `At step ${a.step}: ${span(a.series.plain)} without BN; ${span(a.series.bn)} with BN.`,
      grad: `At step ${a.firstStep} the first layer's gradient norm was ${num(g.series.plain0[0])} without BN and ${num(g.series.bn0[0])} with BN; ` +
        `the last layer's divided by the first's was ${num(ratio(g.series.plain0))} without BN and ${num(ratio(g.series.bn0))} with BN ` +
        `(now ${num(ratio(g.series.plain))} and ${num(ratio(g.series.bn))}; 1 means every layer learns at the same pace).`,
      accuracy: `After ${last(acc.x)} steps the test accuracy is ${pct(last(acc.series.bn))} with BN and ${pct(last(acc.series.plain))} without.`,
    };
  },
};

// Ids are the names in the URL hash and in the run summaries handed to step 3's questions.
const smallBatch = smallBatchExperiment({ seed, sizes: mnistFig1, appendRow, pct });
export const experiments = { fig1, landscape, 'lr-sweep': lrSweep, 'init-sweep': initSweep, 'batch-size': batchSize, 'small-batch': smallBatch, 'bias-blowup': biasBlowup, depth };
export const defaultExperiment = 'fig1';

/** The full set of values (defaults filled in) for an experiment. */
export function withDefaults(experiment, values = {}) {
  const out = {};
  for (const [name, spec] of Object.entries(experiment.params)) out[name] = name in values ? values[name] : spec.default;
  return out;
}

/** Empty plot tables for an experiment: { plotId: { x: [], series: { key: [] } } }. */
export function emptyTables(experiment, values) {
  const tables = {};
  for (const plot of experiment.plots(values)) {
    tables[plot.id] = { x: [], series: Object.fromEntries(plot.series.map((s) => [s.key, []])) };
  }
  return tables;
}
