// normalize.js — step 1's figure: an editable batch and its normalization, live.
//
// State: the batch x (typed, dragged, drawn from a seed or picked from a preset) and ε (a log-scale
// slider). Data flows one way: control → state → the core computes (core-queries.js) → redraw. When the
// input is invalid, the message appears next to the field and the last valid result stays on screen.
// The batch and ε live in the URL hash too (#step-1?x=1,2,3,100&eps=1e-3, ui/page-state.js): a shared
// link restores them, and the hash follows the learner's edits.
import { el, setChildren, sub, uniqueId, withSubscripts } from '../ui/dom.js';
import { createField } from '../ui/field.js';
import { asSentence, formatEpsilon, formatNumber, formatResidue } from '../ui/format.js';
import { createNumberLine } from '../ui/number-line.js';
import { parseBatch } from '../ui/parse.js';
import { drawBatch, normalizeBatch } from '../ui/core-queries.js';
import { PAGE_STATE, bindPageState } from '../ui/page-state.js';

const PRESETS = [
  { label: 'The seed’s batch 1, 2, 3, 4', values: [1, 2, 3, 4] },
  { label: 'Constant 3, 3, 3, 3', values: [3, 3, 3, 3] },
  { label: 'Nearly constant 3, 3, 3, 3.001', values: [3, 3, 3, 3.001] },
  { label: 'With an outlier 1, 2, 3, 4, 100', values: [1, 2, 3, 4, 100] },
  { label: 'Offset by 10⁸', values: [100000001, 100000002, 100000003, 100000004] },
];

// The ε slider's positions are powers of ten (its range and step: the page state's table).
const EPS = PAGE_STATE['step-1'].eps;
const EPS_EXPONENTS = { min: Math.log10(EPS.min), max: Math.log10(EPS.max), step: EPS.logStep, initial: Math.log10(EPS.default) };
const MAX_VALUES = PAGE_STATE['step-1'].x.maxItems;

// How a batch is written back into the text field (plain ASCII, so it can be copied into code).
const asText = (values) => values.map((v) => String(v)).join(', ');

export function mount(root, ctx) {
  const core = ctx.core;
  const state = { values: PAGE_STATE['step-1'].x.default, epsExponent: EPS_EXPONENTS.initial, seed: 1 };
  const eps = () => Number((10 ** state.epsExponent).toPrecision(12));

  // ---- Controls
  const batch = createField({
    name: 'normalize-batch',
    label: ['Batch ', el('var', { text: 'x' })],
    hint: 'Numbers separated by commas, spaces or new lines (up to 64).',
    value: asText(state.values),
    multiline: true,
  });

  const presetButtons = PRESETS.map((preset) => el('button', {
    type: 'button',
    class: 'chip',
    text: preset.label,
    onclick: () => setValues(preset.values, { writeText: true }),
  }));

  const seedField = createField({ name: 'normalize-seed', label: 'Seed', value: String(state.seed), inputmode: 'numeric', className: 'field-inline' });
  const drawButton = el('button', { type: 'button', class: 'button', text: 'Draw a random batch' });
  drawButton.addEventListener('click', () => {
    const text = seedField.input.value.trim();
    if (!/^\d{1,9}$/.test(text)) {
      seedField.setError('The seed is a whole number from 0 to 999999999.');
      return;
    }
    const drawn = drawBatch(core, { seed: Number(text), purpose: 'normalize', size: 6, mean: 5, sd: 2, decimals: 2 });
    if (drawn.error) {
      seedField.setError(asSentence(`${drawn.error.field}: ${drawn.error.message}`));
      return;
    }
    seedField.clearError();
    state.seed = Number(text);
    setValues(drawn.values, { writeText: true });
    seedField.input.value = String(state.seed + 1);  // the next press draws a new batch; this one stays reproducible
    drawnFrom.textContent = `Drawn from N(5, 2²) with seed ${state.seed}.`;
  });
  const drawnFrom = el('p', { class: 'field-hint' });

  const epsId = uniqueId('normalize-eps');
  const epsOutput = el('output', { for: epsId, class: 'eps-value' });
  const epsInput = el('input', {
    id: epsId,
    type: 'range',
    min: EPS_EXPONENTS.min,
    max: EPS_EXPONENTS.max,
    step: EPS_EXPONENTS.step,
    value: state.epsExponent,
    'aria-describedby': `${epsId}-hint`,
  });
  epsInput.addEventListener('input', () => {
    state.epsExponent = Number(epsInput.value);
    if (recompute()) remember();
  });
  const epsControl = el('div', { class: 'field field-eps' },
    el('label', { for: epsId }, 'ε (epsilon), log scale: ', epsOutput),
    epsInput,
    el('p', { id: `${epsId}-hint`, class: 'field-hint', text: 'From 1e−10 to 1. PyTorch’s default is 1e−5, Keras’s 1e−3.' }));
  // What a shared link set that this figure could not use.
  const linkNotice = el('p', { class: 'field-error', 'aria-live': 'polite' });

  // ---- Output
  const line = createNumberLine({
    label: 'Number lines: the batch x above (each point is a slider: drag it or use the arrow keys) and its normalized values x̂ below',
    tracks: [{ name: 'x', editable: true }, { name: 'x̂', symmetric: true }],
    onInput: (values) => setValues(values, { writeText: true }),
  });

  const statCells = {
    mean: el('td'), variance: el('td'), denominator: el('td'), xhatMean: el('td'), xhatVariance: el('td'),
  };
  const statRow = (header, cell) => el('tr', {}, el('th', { scope: 'row' }, header), cell);
  const statsTable = el('table', { class: 'stats' },
    el('caption', { text: 'Batch statistics' }),
    el('tbody', {},
      statRow(['Mean ', sub('μ', 'B')], statCells.mean),
      statRow(['Variance ', sub('σ²', 'B')], statCells.variance),
      statRow(['Denominator √(', sub('σ²', 'B'), ' + ε)'], statCells.denominator),
      statRow('Mean of x̂', statCells.xhatMean),
      statRow('Variance of x̂', statCells.xhatVariance)));

  const valuesBody = el('tbody');
  const valuesTable = el('table', { class: 'values' },
    el('caption', { text: 'Each value and its normalized value' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'i' }), el('th', { scope: 'col' }, sub('x', 'i')), el('th', { scope: 'col' }, sub('x̂', 'i')))),
    valuesBody);

  const note = el('p', { class: 'figure-note', 'aria-live': 'polite' });
  const legend = el('p', { class: 'figure-caption' },
    'The shaded band on the x line is ', sub('μ', 'B'), ' ± √(', sub('σ²', 'B'), ' + ε); normalization maps it onto −1 … 1 on the x̂ line. ',
    'The triangle marks ', sub('μ', 'B'), '.');

  const figure = el('figure', { class: 'figure figure-normalize' },
    el('div', { class: 'figure-controls' },
      linkNotice,
      batch.element,
      el('div', { class: 'chips', role: 'group', 'aria-label': 'Example batches' }, presetButtons),
      el('div', { class: 'random-row' }, seedField.element, drawButton),
      drawnFrom,
      epsControl),
    el('div', { class: 'figure-output' },
      line.element,
      legend,
      el('div', { class: 'tables' }, statsTable, valuesTable),
      note));
  root.replaceChildren(figure);

  // ---- Behaviour
  batch.input.addEventListener('input', () => {
    const parsed = parseBatch(batch.input.value, { maxValues: MAX_VALUES });
    if (parsed.error) {
      batch.setError(parsed.error);
      return;  // the last valid result stays on screen
    }
    setValues(parsed.values, { writeText: false });
  });

  function setValues(values, { writeText, fromLink = false }) {
    const previous = state.values;
    state.values = values;
    if (writeText) batch.input.value = asText(values);
    if (!recompute()) state.values = previous;
    else if (!fromLink) remember();
  }

  // ---- The URL hash: the learner's batch and ε, a moment after each edit; a link's, once mounted
  // (bindPageState, below) and whenever one is followed on the open page.
  let link = null;
  function remember() {
    if (link) link.write({ x: state.values, eps: eps() });
  }
  function applyLink(values, notice) {
    linkNotice.textContent = notice;
    state.epsExponent = Math.round(Math.log10(values.eps) / EPS_EXPONENTS.step) * EPS_EXPONENTS.step;
    epsInput.value = String(state.epsExponent);
    setValues(values.x, { writeText: true, fromLink: true });
  }

  function showError(error) {
    if (error.field === 'eps') {
      note.textContent = `ε: ${error.message}`;
    } else {
      batch.setError(asSentence(error.field && error.field !== 'x' ? `${error.field}: ${error.message}` : error.message));
    }
  }

  // Asks the core and redraws. Returns false (and leaves the last result on screen) on an error.
  function recompute() {
    epsOutput.textContent = formatEpsilon(eps());
    epsInput.setAttribute('aria-valuetext', `ε = ${formatEpsilon(eps())}`);
    const result = normalizeBatch(core, state.values, eps());
    if (result.error) {
      showError(result.error);
      return false;
    }
    batch.clearError();
    render(result);
    return true;
  }

  function render(result) {
    statCells.mean.textContent = formatNumber(result.mean);
    statCells.variance.textContent = formatNumber(result.variance);
    statCells.denominator.textContent = formatNumber(result.denominator);
    // x̂'s rounding residue scales with max|x| / √(σ² + ε) (see residueScale in format.js).
    const xhatScale = Math.max(1, Math.max(...state.values.map(Math.abs)) / result.denominator);
    statCells.xhatMean.textContent = formatResidue(result.xhatMean, xhatScale);
    statCells.xhatVariance.textContent = formatNumber(result.xhatVariance);

    valuesBody.replaceChildren(...state.values.map((x, i) => el('tr', {},
      el('td', { text: String(i + 1) }),
      el('td', { text: formatNumber(x) }),
      el('td', { text: formatResidue(result.xhat[i], xhatScale) }))));

    const d = result.denominator;
    line.render({
      tracks: [
        { values: state.values, marker: result.mean, band: [result.mean - d, result.mean + d] },
        { values: result.xhat, band: [-1, 1] },
      ],
    });
    setChildren(note, withSubscripts(explain(result)));
  }

  // What the learner is looking at, in words, for the cases where ε or the batch size matters.
  function explain(result) {
    const e = formatEpsilon(eps());
    if (state.values.length === 1) {
      return `${result.warning ? `The core warns: ${result.warning}. ` : ''}A single value is its own mean, so x − μ_B = 0 and σ²_B = 0: ` +
        `x̂ = 0 / √ε = 0 whatever x is. In training this is useless (the output is just β), which is why PyTorch refuses ` +
        'a training batch of one; see step 4.';
    }
    if (result.variance === 0) {
      return `Constant batch: every deviation x − μ_B is 0 and σ²_B = 0, so the denominator is √ε = ${formatNumber(result.denominator)}. ` +
        `Every x̂ is 0 / ${formatNumber(result.denominator)} = 0. Without ε this would be 0 / 0, which is NaN. ` +
        'Move the ε slider: x̂ stays 0, only the denominator changes.';
    }
    if (result.variance < 100 * eps()) {
      return `The batch’s variance (${formatNumber(result.variance)}) is not much larger than ε = ${e}, so ε dominates the denominator: ` +
        `x̂ is shrunk towards 0 and its variance is only ${formatNumber(result.xhatVariance)} instead of about 1. ` +
        'Lower ε and these tiny differences are blown up to unit size; raise it and they are treated as noise.';
    }
    return `σ²_B is much larger than ε = ${e}, so ε barely matters: the variance of x̂ is ${formatNumber(result.xhatVariance)}, ` +
      'just under 1. Its mean is 0 for every batch.';
  }

  recompute();
  link = bindPageState('step-1', applyLink);

  return {
    update() { recompute(); },
    destroy() {
      link.destroy();
      line.destroy();
      root.replaceChildren();
    },
  };
}
