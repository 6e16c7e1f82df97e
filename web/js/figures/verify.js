// verify.js — step 5's figure: the seed's experiment made visible. The batch goes through
// x → x − μ_B → x̂ → γx̂ + β, and after each stage the core measures the mean and the variance.
//
// State: the batch, γ, β and ε, each typed into a field. Control → state → the core computes
// (core-queries.js) → redraw. A field with bad input shows its message next to it and the table keeps
// the last valid result. The fields live in the URL hash too (#step-5?x=…&gamma=…&beta=…&eps=…,
// ui/page-state.js): a shared link fills them in, and the hash follows the learner's edits.
import { el, sub, withSubscripts } from '../ui/dom.js';
import { createField } from '../ui/field.js';
import { asSentence, formatList, formatNumber, formatResidue, residueScale } from '../ui/format.js';
import { parseBatch, parseNumber } from '../ui/parse.js';
import { forwardStages } from '../ui/core-queries.js';
import { PAGE_STATE, bindPageState, valueText } from '../ui/page-state.js';

const PROPERTIES = PAGE_STATE['step-5'];
const MAX_VALUES = PROPERTIES.x.maxItems;

// A value as its field shows it: a batch as "1, 2, 3, 4", a number as a link writes it (1e-5).
const asText = (key, value) => (key === 'x' ? value.join(', ') : valueText(PROPERTIES[key], value));
// The seed's example (the table's defaults), as the fields show it.
const SEED_EXAMPLE = Object.fromEntries(Object.entries(PROPERTIES).map(([key, spec]) => [key, asText(key, spec.default)]));

export function mount(root, ctx) {
  const core = ctx.core;

  const fields = {
    x: createField({ name: 'verify-batch', label: ['Batch ', el('var', { text: 'x' })], hint: 'Numbers separated by commas, spaces or new lines.', value: SEED_EXAMPLE.x, multiline: true }),
    gamma: createField({ name: 'verify-gamma', label: 'γ (scale)', value: SEED_EXAMPLE.gamma, inputmode: 'decimal', className: 'field-short' }),
    beta: createField({ name: 'verify-beta', label: 'β (shift)', value: SEED_EXAMPLE.beta, inputmode: 'decimal', className: 'field-short' }),
    eps: createField({ name: 'verify-eps', label: 'ε (epsilon)', value: SEED_EXAMPLE.eps, inputmode: 'decimal', className: 'field-short' }),
  };
  const names = { gamma: 'γ', beta: 'β', eps: 'ε' };

  const reset = el('button', { type: 'button', class: 'button', text: 'Back to the seed’s example' });
  reset.addEventListener('click', () => {
    for (const key of Object.keys(fields)) fields[key].input.value = SEED_EXAMPLE[key];
    edited();
  });
  // What a shared link set that this figure could not use.
  const linkNotice = el('p', { class: 'field-error', 'aria-live': 'polite' });

  // One row per stage; the cells are filled by render().
  const STAGES = [
    { key: 'x', title: ['x'], what: 'the batch as given' },
    { key: 'centered', title: ['x − ', sub('μ', 'B')], what: 'centered' },
    { key: 'xhat', title: ['x̂ = (x − ', sub('μ', 'B'), ') / √(', sub('σ²', 'B'), ' + ε)'], what: 'normalized' },
    { key: 'y', title: ['y = γx̂ + β'], what: 'scaled and shifted' },
  ];
  const rows = {};
  const tbody = el('tbody');
  for (const stage of STAGES) {
    const cells = { values: el('td', { class: 'stage-values' }), mean: el('td', { class: 'num' }), variance: el('td', { class: 'num' }) };
    rows[stage.key] = cells;
    tbody.append(el('tr', {},
      el('th', { scope: 'row' }, el('span', { class: 'stage-title' }, stage.title), el('span', { class: 'stage-what', text: stage.what })),
      cells.values, cells.mean, cells.variance));
  }
  const table = el('table', { class: 'stages' },
    el('caption', { text: 'Mean and variance after each stage' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Stage' }), el('th', { scope: 'col', text: 'Values' }),
      el('th', { scope: 'col', text: 'Mean' }), el('th', { scope: 'col', text: 'Variance' }))),
    tbody);

  const explanation = el('div', { class: 'figure-note', 'aria-live': 'polite' });

  root.replaceChildren(el('figure', { class: 'figure figure-verify' },
    el('div', { class: 'figure-controls' },
      linkNotice,
      fields.x.element,
      el('div', { class: 'field-row' }, fields.gamma.element, fields.beta.element, fields.eps.element),
      reset),
    el('div', { class: 'figure-output' },
      el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Mean and variance after each stage (scrollable)' }, table),
      explanation)));

  for (const field of Object.values(fields)) field.input.addEventListener('input', edited);

  // ---- The URL hash: the fields' values a moment after each valid edit; a link's, once mounted
  // (bindPageState, below) and whenever one is followed on the open page.
  let link = null;
  function edited() {
    const request = recompute();
    if (request && link) link.write(request);
  }
  function applyLink(values, notice) {
    linkNotice.textContent = notice;
    for (const key of Object.keys(fields)) fields[key].input.value = asText(key, values[key]);
    recompute();
  }

  // Reads every field; returns the parsed request, or null after marking the fields in error.
  function readFields() {
    let ok = true;
    const parsed = parseBatch(fields.x.input.value, { maxValues: MAX_VALUES });
    if (parsed.error) { fields.x.setError(parsed.error); ok = false; } else fields.x.clearError();
    const numbers = {};
    for (const key of ['gamma', 'beta', 'eps']) {
      const r = parseNumber(fields[key].input.value, names[key]);
      if (r.error) { fields[key].setError(r.error); ok = false; } else { fields[key].clearError(); numbers[key] = r.value; }
    }
    return ok ? { x: parsed.values, ...numbers } : null;
  }

  // Returns the request shown, or null when a field's message says why the table kept its last result.
  function recompute() {
    const request = readFields();
    if (!request) return null;  // the messages are next to the fields; the table keeps the last valid result
    const result = forwardStages(core, request.x, request.gamma, request.beta, request.eps);
    if (result.error) {
      const key = { x: 'x', gamma: 'gamma', beta: 'beta', eps: 'eps' }[result.error.field] || 'x';
      fields[key].setError(asSentence(result.error.message));
      return null;
    }
    render(request, result);
    return request;
  }

  function render(request, result) {
    const byKey = Object.fromEntries(result.stages.map((s) => [s.key, s]));
    const scale = Math.max(...request.x.map(Math.abs), Number.MIN_VALUE);
    const xhatScale = Math.max(1, residueScale(request.x, byKey.xhat.values, byKey.centered.values));
    const outScale = Math.max(Math.abs(request.gamma) * xhatScale, Math.abs(request.beta), Number.MIN_VALUE);
    for (const stage of result.stages) {
      const cells = rows[stage.key];
      const valueScale = stage.key === 'x' || stage.key === 'centered' ? scale : stage.key === 'xhat' ? xhatScale : outScale;
      // Values and means that are 0 in exact arithmetic may carry rounding residue (~1e-17): shown as 0.
      cells.values.textContent = stage.key === 'x' ? formatList(stage.values) : Array.from(stage.values, (v) => formatResidue(v, valueScale)).join(', ');
      cells.mean.textContent = formatResidue(stage.mean, valueScale);
      cells.variance.textContent = formatNumber(stage.variance);
    }
    explanation.replaceChildren(...explain(request, byKey, result.warning));
  }

  // The seed's claims, checked against what the core just measured.
  function explain(request, stage, warning) {
    const v = formatNumber;
    const paragraphs = [];
    if (warning) paragraphs.push(el('p', { text: `The core warns: ${warning}.` }));
    const varX = stage.x.variance;
    if (varX === 0) {
      paragraphs.push(el('p', {}, withSubscripts(
        `σ²_B = 0 (${request.x.length === 1 ? 'a single value' : 'a constant batch'}): every deviation is 0, so x̂ is 0 everywhere ` +
        `and its variance is 0, not 1. ε = ${v(request.eps)} is what keeps this from being 0 / 0. Then y = β = ${v(request.beta)} for every value.`)));
      return paragraphs;
    }
    paragraphs.push(el('p', {}, withSubscripts(
      `Centering moves the mean from ${v(stage.x.mean)} to 0 and leaves the variance at ${v(stage.centered.variance)}. ` +
      `Dividing by √(σ²_B + ε) brings the variance to ${v(stage.xhat.variance)}: that is σ²_B / (σ²_B + ε) = ` +
      `${v(varX)} / (${v(varX)} + ${v(request.eps)}), below 1 because ε is added to the variance before the square root.`)));
    paragraphs.push(el('p', {
      text: `After the scale and shift, the mean is β = ${v(request.beta)} and the variance is γ² × ${v(stage.xhat.variance)} = ${v(stage.y.variance)}.`,
    }));
    return paragraphs;
  }

  recompute();
  link = bindPageState('step-5', applyLink);

  return {
    update() { recompute(); },
    destroy() {
      link.destroy();
      root.replaceChildren();
    },
  };
}
