// sigmoid-range.js — the "sigmoid-range" figure of step 2: what γ and β let a sigmoid layer do.
//
//   <div data-figure="sigmoid-range"></div>
//
// A fixed batch of 400 pre-activations that have drifted (mean 3, sd 2.5) goes through BatchNorm with
// the learner's γ and β, and then into a sigmoid. The figure shows the share of the sigmoid's inputs in
// its near-linear range (|z| ≤ 1, where σ(z) stays within 0.02 of its tangent 1/2 + z/4) and in its
// saturated range (|z| ≥ 4, where σ′(z) < 0.02):
//   - raw, most inputs are saturated: gradients vanish;
//   - normalised with γ = 1, β = 0 (BN without γ/β), about 68 % land in the near-linear range, always —
//     the layer can only ever be almost linear: this is what it would lose without γ and β;
//   - with γ and β the network chooses how much of the curve it uses.
// The batch is the core's seeded draw (draw_batch), and every BatchNorm number (y = γ·x̂ + β) comes from the
// core (forward_train); the figure only counts.
import { el, svg, uniqueId } from '../ui/dom.js';
import { drawBatch } from '../ui/core-queries.js';

const BATCH = { seed: 20150211, purpose: 'sigmoid-range', size: 400, mean: 3, sd: 2.5, decimals: 3 };
const LINEAR = 1;      // |z| ≤ 1: near-linear
const SATURATED = 4;   // |z| ≥ 4: saturated
const Z_MIN = -8;
const Z_MAX = 8;

function shares(values) {
  let linear = 0;
  let saturated = 0;
  for (const z of values) {
    const a = Math.abs(z);
    if (a <= LINEAR) linear++;
    if (a >= SATURATED) saturated++;
  }
  return { linear: linear / values.length, saturated: saturated / values.length };
}

const percent = (p) => `${Math.round(p * 100)} %`;

export function mount(root, ctx) {
  const id = uniqueId('sigmoid');
  const state = { gamma: 1, beta: 0 };

  const slider = (name, label, min, max, step) => {
    const input = el('input', { type: 'range', id: `${id}-${name}`, min, max, step, value: state[name] });
    const output = el('output', { for: `${id}-${name}`, class: 'sigmoid-value' });
    const row = el('div', { class: 'sigmoid-control' }, el('label', { for: `${id}-${name}` }, label), input, output);
    input.addEventListener('input', () => { state[name] = Number(input.value); draw(); });
    return { row, input, output };
  };
  const gamma = slider('gamma', 'γ (scale)', 0, 4, 0.05);
  const beta = slider('beta', 'β (shift)', -5, 5, 0.1);
  const reset = el('button', { type: 'button', class: 'button' }, 'Reset to γ = 1, β = 0');
  reset.addEventListener('click', () => {
    state.gamma = 1; state.beta = 0;
    gamma.input.value = '1'; beta.input.value = '0';
    draw();
  });

  const rawLine = el('p', { class: 'sigmoid-share sigmoid-share--raw' });
  const bnLine = el('p', { class: 'sigmoid-share sigmoid-share--bn', role: 'status', 'aria-live': 'polite' });
  const error = el('p', { class: 'figure-error', role: 'alert', hidden: true });
  const plot = svg('svg', { class: 'sigmoid-plot', viewBox: '0 0 640 260', role: 'img', 'aria-labelledby': `${id}-plot-title` });

  root.replaceChildren(el('figure', { class: 'sigmoid-range' },
    el('div', { class: 'sigmoid-controls' }, gamma.row, beta.row, reset),
    plot,
    el('p', { class: 'sigmoid-legend', 'aria-hidden': 'true' },
      el('span', { class: 'sigmoid-key sigmoid-key--raw' }), ' without BatchNorm ',
      el('span', { class: 'sigmoid-key sigmoid-key--bn' }), ' after BatchNorm with your γ, β'),
    el('div', { class: 'sigmoid-readout' }, rawLine, bnLine, error),
    el('figcaption', {},
      `${BATCH.size} drifted pre-activations (mean ${BATCH.mean}, sd ${BATCH.sd}) before and after BatchNorm with your γ and β, against the sigmoid σ(z). ` +
      'Shaded: the near-linear range |z| ≤ 1 (σ within 0.02 of its tangent); beyond |z| ≥ 4 the sigmoid is saturated (σ′ < 0.02).')));

  const drawn = drawBatch(ctx.core, BATCH);
  if (drawn.error) {
    error.hidden = false;
    error.textContent = `The core could not draw the batch: ${drawn.error.message}`;
    return { update() {}, destroy() { root.replaceChildren(); } };
  }
  const batch = drawn.values;
  const raw = shares(batch);
  rawLine.textContent = `Without BatchNorm: ${percent(raw.linear)} of the sigmoid’s inputs are in the near-linear range, ${percent(raw.saturated)} saturated.`;

  function draw() {
    gamma.output.textContent = state.gamma.toFixed(2);
    beta.output.textContent = state.beta.toFixed(1);
    let response;
    try {
      response = ctx.core.compute({ op: 'forward_train', x: batch, gamma: [state.gamma], beta: [state.beta], eps: 1e-5 });
    } catch (e) {
      response = { error: { message: e && e.message ? e.message : String(e) } };
    }
    if (!response || response.error || !Array.isArray(response.y)) {
      error.hidden = false;
      error.textContent = `The core could not normalise the batch: ${response && response.error ? response.error.message : 'no answer'}`;
      return;
    }
    error.hidden = true;
    const y = response.y;
    const bn = shares(y);
    const note = state.gamma === 1 && state.beta === 0
      ? ' — with γ = 1, β = 0 this is all the layer could ever use: it would be almost linear.'
      : '';
    bnLine.textContent = `After BatchNorm with γ = ${state.gamma.toFixed(2)}, β = ${state.beta.toFixed(1)}: ` +
      `${percent(bn.linear)} near-linear, ${percent(bn.saturated)} saturated${note}`;
    drawPlot(y);
  }

  function drawPlot(y) {
    const W = 640; const top = 16; const curveBottom = 150; const histTop = 160; const histBottom = 240;
    const px = (z) => ((z - Z_MIN) / (Z_MAX - Z_MIN)) * W;
    const children = [];
    children.push(svg('title', { id: `${id}-plot-title` },
      'The sigmoid curve with the near-linear band shaded, and histograms of the inputs without and with BatchNorm'));
    children.push(svg('rect', { class: 'sigmoid-band', x: px(-LINEAR), y: top, width: px(LINEAR) - px(-LINEAR), height: histBottom - top }));
    // The sigmoid, sampled (the curve is the page's drawing, not a BN number).
    let d = '';
    for (let i = 0; i <= 160; i++) {
      const z = Z_MIN + (i / 160) * (Z_MAX - Z_MIN);
      const s = 1 / (1 + Math.exp(-z));
      d += `${i ? 'L' : 'M'}${px(z).toFixed(1)},${(curveBottom - s * (curveBottom - top)).toFixed(1)}`;
    }
    children.push(svg('path', { class: 'sigmoid-curve', d }));
    children.push(svg('line', { class: 'sigmoid-axis', x1: 0, x2: W, y1: histBottom, y2: histBottom }));
    for (let z = Z_MIN; z <= Z_MAX; z += 2) {
      children.push(svg('text', { class: 'sigmoid-tick', x: Math.min(W - 8, Math.max(8, px(z))), y: histBottom + 14, 'text-anchor': 'middle' }, String(z)));
    }
    // Histograms: bins of 0.5 over [Z_MIN, Z_MAX]; values outside are piled into the end bins.
    const bins = (values) => {
      const counts = new Array(32).fill(0);
      for (const v of values) counts[Math.max(0, Math.min(31, Math.floor((v - Z_MIN) / 0.5)))]++;
      return counts;
    };
    const rawBins = bins(batch);
    const bnBins = bins(y);
    const peak = Math.max(...rawBins, ...bnBins, 1);
    const barWidth = W / 32;
    const bar = (count, i, cls) => {
      const height = (count / peak) * (histBottom - histTop);
      return svg('rect', { class: cls, x: i * barWidth + 1, y: histBottom - height, width: barWidth - 2, height });
    };
    rawBins.forEach((c, i) => { if (c) children.push(bar(c, i, 'sigmoid-bar sigmoid-bar--raw')); });
    bnBins.forEach((c, i) => { if (c) children.push(bar(c, i, 'sigmoid-bar sigmoid-bar--bn')); });
    plot.replaceChildren(...children);
  }

  draw();
  return {
    update() { draw(); },
    destroy() { root.replaceChildren(); },
  };
}
