// The lab's small-batch experiment: batch norm, group norm and layer norm on the same network at batch
// sizes 2 to 60, each measured in eval mode and with batch statistics (the train/eval gap).
//
// A sweep (experiments.js): one lane per (normalization, batch size), trained one after another for the
// same number of steps; each gives one point. The lanes differ only in `norm` and `batch_size`
// (docs/training.md), so with one seed they start from the same weights.
//
// The gap, defined once: test accuracy with batch statistics (the test digits in consecutive batches of
// the lane's own batch size, each normalised by its own mean and variance, as in training) minus test
// accuracy in eval mode (batch norm with its running statistics). Layer and group norm use no batch
// statistics, so for them the two are the same computation and the gap is 0 by construction.

export const SMALL_BATCHES = [2, 4, 8, 16, 60];
// A multiple of every batch size, so that both measures cover the same test digits (whole batches).
const TEST_EXAMPLES = 960;
export const NORMS = [
  { key: 'batch', label: 'BatchNorm', lane: 'bn' },
  { key: 'group', label: 'GroupNorm', lane: 'plain', dash: true },
  { key: 'layer', label: 'LayerNorm', lane: 'plain' },
];

// What is known about BN's placement, said under the placement setting.
const PLACEMENT_NOTE = {
  before: 'Placement: before the nonlinearity, as Ioffe & Szegedy (2015, §3.2) add it: they normalise x = Wu + b, ' +
    'which they expect to be "more Gaussian" than the layer input u, itself the output of a nonlinearity. The paper ' +
    'does not train the other placement, so it does not say which works better.',
  after: 'Placement: after the nonlinearity, which Ioffe & Szegedy (2015, §3.2) chose against — they normalise the ' +
    'nonlinearity\'s input x = Wu + b, not its output, expecting x to be "more Gaussian". The paper does not train ' +
    'this placement, so it does not say which works better; compare the two here.',
};

/**
 * The experiment, built from experiments.js's shared pieces: its seed parameter, the MNIST network's
 * sizes, and its row and number helpers (so that there is one of each).
 */
export function smallBatchExperiment({ seed, sizes, appendRow, pct }) {
  const accuracy = (m) => m.test.accuracy;
  const withBatchStatistics = (m) => m.test.batch_statistics.accuracy;
  const gap = (m) => withBatchStatistics(m) - accuracy(m);
  const row = (t, b) => t.x.indexOf(b);
  const at = (tables, plot, norm, b) => {
    const i = row(tables[plot], b);
    return i < 0 ? null : tables[plot].series[norm][i] ?? null;
  };
  const series = () => NORMS.map((n) => ({ key: n.key, label: n.label, lane: n.lane, dash: n.dash, points: true }));

  return {
    title: 'Small batches: BatchNorm, GroupNorm and LayerNorm at batch 2 to 60',
    explain: 'Fifteen copies of one network (784-100-100-10, ReLU, MNIST) train the same number of steps (1,000 by default): with batch ' +
      'norm, group norm (4 groups of 25 units per example) and layer norm (all 100 units of an example), at batch ' +
      'sizes 2, 4, 8, 16 and 60. All three normalise by a mean and a variance; only batch norm takes them across the ' +
      'examples of a batch, so only it has two modes: in training each batch is normalised by its own statistics, in ' +
      'eval mode every example by running averages. The first plot is test accuracy in eval mode. The second is the ' +
      'train/eval gap: test accuracy with batch statistics (the test digits in batches of the lane\'s own size, each ' +
      'normalised by its own mean and variance, as in training) minus eval-mode accuracy. For group and layer norm ' +
      'the two are one computation, so their gap is 0. Wu & He (2018) report that batch norm\'s ImageNet error rises ' +
      'quickly as the batch shrinks while group norm\'s stays about the same. Here (seed 1, 1,000 steps, BN before ' +
      'the nonlinearity): at batch 60 the three ' +
      'are within 1 point of each other; at batch 2 batch norm reaches 55 % in eval mode, group norm 86 % and layer ' +
      'norm 88 %. With two examples, each unit\'s batch-normalised values are ±1 (up to ε) whatever the inputs, and ' +
      'with batch statistics batch norm\'s accuracy is lower still: its gap is −23 points at batch 2 and shrinks as ' +
      'the batch grows, to 0 at batch 60. Smaller batches also mean fewer digits seen in the same steps (2,000 at ' +
      'batch 2, 60,000 at batch 60) whatever the normalization, so compare the three at one batch size.',
    needsMnist: true,
    schedule: 'sweep',
    params: {
      seed,
      steps: { type: 'int', default: 1000, min: 50, max: 20000, label: 'Steps per point' },
      placement: {
        type: 'choice', default: 'before', label: 'Placement',
        choices: [{ value: 'before', label: 'before the nonlinearity (Ioffe & Szegedy)' }, { value: 'after', label: 'after the nonlinearity' }],
      },
    },
    note: (v) => PLACEMENT_NOTE[v.placement],
    lanes: (v) => NORMS.flatMap((norm) => SMALL_BATCHES.map((b) => ({
      key: `${norm.key}@${b}`, series: norm.key, x: b, label: `${norm.label}, batch ${b}`, colourOf: norm.lane,
      config: {
        seed: v.seed, sizes: [sizes[0], 100, 100, sizes[sizes.length - 1]], activation: 'relu', init_scale: Math.SQRT2,
        init_mode: 'fan_in', learning_rate: 0.05, batch_size: b, test_examples: TEST_EXAMPLES, data: { kind: 'external' },
        batchnorm: v.placement, norm: norm.key, ...(norm.key === 'group' ? { norm_groups: 4 } : {}),
        test_batch_statistics: true,
      },
    }))),
    totalSteps: (v) => v.steps,
    chunk: (v) => Math.min(v.steps, 250),
    probe: () => null,
    plots: () => [
      { id: 'eval', title: 'Test accuracy in eval mode, by batch size', x: { label: 'batch size', log: true }, y: { label: 'test accuracy', range: [0, 1] },
        series: series() },
      { id: 'gap', title: 'Train/eval gap: accuracy with batch statistics − in eval mode', x: { label: 'batch size', log: true }, y: { label: 'accuracy difference' },
        series: series() },
    ],
    record(tables, report) {
      // A point arrives when its lane finishes; the three normalizations at one batch size share a row.
      for (const [id, measure] of [['eval', accuracy], ['gap', gap]]) {
        const t = tables[id];
        let i = row(t, report.lane.x);
        if (i < 0) { appendRow(t, report.lane.x, {}); i = t.x.length - 1; }
        t.series[report.lane.series][i] = report.diverged ? null : measure(report.metrics);
        t.diverged = t.diverged || {};
        if (report.diverged) t.diverged[`${report.lane.series}@${report.lane.x}`] = true;
      }
    },
    summarise(tables) {
      const e = tables.eval;
      if (!e.x.length) return { eval: 'No points yet.', gap: 'No points yet.' };
      const list = (plot, format) => (norm) => e.x.map((b) => `${format(at(tables, plot, norm.key, b))} at batch ${b}`).join(', ');
      const points = (x) => (x === null ? 'not measured' : `${(100 * x).toFixed(1).replace('-', '−')} points`);
      const say = (x) => (x === null ? 'not measured' : pct(x));
      const diverged = Object.keys(e.diverged || {});
      return {
        eval: 'Test accuracy in eval mode: ' + NORMS.map((n) => `${n.label} ${list('eval', say)(n)}`).join('; ') + '.' +
          (diverged.length ? ` Diverged (not plotted): ${diverged.join(', ')}.` : ''),
        gap: 'Accuracy with batch statistics minus eval-mode accuracy (negative: lower with batch statistics): ' + NORMS.map((n) => `${n.label} ${list('gap', points)(n)}`).join('; ') + '.',
      };
    },
  };
}
