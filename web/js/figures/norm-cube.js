// norm-cube.js — the normalization cube: a small feature map x of shape (N, C, H, W) = (2, 4, 2, 2),
// drawn after Wu & He's GroupNorm paper (2018, Fig. 2) with axes N, C and H·W, and the same tensor laid out
// flat as an editable grid. The learner picks batch, layer, instance or group norm (and G) and a cell; the
// cube, the grid and the table show which values share one mean and variance, and the core's `normalize`
// op computes those statistics and x̂ (γ = 1, β = 0).
//
// State: kind, G, the 32 values and the selected cell, also in the link (#normalization-cube?kind=group&g=4…,
// ui/page-state.js, which declares them and their defaults). Data flows one way: control → state → the
// core computes (core-queries.js) → redraw. Which cells form a set is the definition of each kind (the
// geometry the figure draws); every number shown comes from the core. A value that does not parse gets
// its message next to the grid, and the last valid result stays on screen.
import { el, svg, uniqueId } from '../ui/dom.js';
import { asSentence, formatNumber } from '../ui/format.js';
import { parseNumber } from '../ui/parse.js';
import { normalizeFeatureMap } from '../ui/core-queries.js';
import { PAGE_STATE, bindPageState } from '../ui/page-state.js';

const N = 2;
const C = 4;
const H = 2;
const W = 2;
const EPS = 1e-5;
const SECTION = 'normalization-cube';
const PROPERTIES = PAGE_STATE[SECTION];
const GROUP_CHOICES = PROPERTIES.g.choices.map((choice) => choice.value);  // the divisors of C
const EXAMPLE = PROPERTIES.x.default;  // x[n][c][h][w] in row-major order

// Each kind's name, and which values share statistics (group norm's depends on G: describe() says it).
const KINDS = {
  batch: { name: 'Batch norm', over: 'one per channel, over its N·H·W = 2·2·2 values across the batch' },
  layer: { name: 'Layer norm', over: 'one per example, over its C·H·W = 4·2·2 values' },
  instance: { name: 'Instance norm', over: 'one per example and channel, over its H·W = 2·2 values' },
  group: { name: 'Group norm' },
};

const cellIndex = (n, c, h, w) => ((n * C + c) * H + h) * W + w;
const cellOf = (index) => ({
  n: Math.floor(index / (C * H * W)),
  c: Math.floor(index / (H * W)) % C,
  h: Math.floor(index / W) % H,
  w: index % W,
});

// The statistics set a cell belongs to, under a kind: its index in the core's mean/var answer.
// batch: channel c (mean[c]); layer: example n (mean[n][0]); instance: (n, c) (mean[n][c]);
// group: (n, the group of c) (mean[n][g]).
function setOf(kind, groups, { n, c }) {
  switch (kind) {
    case 'batch': return { id: c, statIndex: [c] };
    case 'layer': return { id: n, statIndex: [n, 0] };
    case 'instance': return { id: n * C + c, statIndex: [n, c] };
    default: {
      const g = Math.floor(c / (C / groups));
      return { id: n * groups + g, statIndex: [n, g] };
    }
  }
}

function setCount(kind, groups) {
  return { batch: C, layer: N, instance: N * C, group: N * groups }[kind];
}

// The set's name as the page writes it (1-based, as a learner counts).
function setLabel(kind, groups, { n, c }) {
  switch (kind) {
    case 'batch': return `channel ${c + 1}`;
    case 'layer': return `example ${n + 1}`;
    case 'instance': return `example ${n + 1}, channel ${c + 1}`;
    default: {
      const size = C / groups;
      const g = Math.floor(c / size);
      const channels = size === 1 ? `channel ${g * size + 1}` : `channels ${g * size + 1}–${(g + 1) * size}`;
      return `example ${n + 1}, group ${g + 1} (${channels})`;
    }
  }
}

const statAt = (list, [i, j]) => (j === undefined ? list[i] : list[i][j]);
const cellName = ({ n, c, h, w }) => `example ${n + 1}, channel ${c + 1}, row ${h + 1}, column ${w + 1}`;
// x̂ in a grid cell: two decimals, so that four cells fit side by side at 320 px (the table and the
// summary give the core's numbers in full).
const short = (value) => (Number.isFinite(value) ? value.toFixed(2).replace(/^-(?=0\.00$)/, '').replace('-', '\u2212') : 'NaN');

// ---- The cube's drawing: cubelets for (c, n, s) with s = h·W + w the flattened position, in an oblique
// projection: C runs to the right, N down, H·W into the page (up and to the right).
const CUBE = { size: 30, depthX: 13, depthY: -10, left: 30, top: 52 };
const S = H * W;

function cubeCorner(c, n, s) {
  return [CUBE.left + c * CUBE.size + s * CUBE.depthX, CUBE.top + n * CUBE.size + s * CUBE.depthY];
}

function cubeletFaces(c, n, s) {
  const p = (dc, dn, ds) => cubeCorner(c + dc, n + dn, s + ds).join(',');
  return {
    front: [p(0, 0, 0), p(1, 0, 0), p(1, 1, 0), p(0, 1, 0)].join(' '),
    top: [p(0, 0, 0), p(0, 0, 1), p(1, 0, 1), p(1, 0, 0)].join(' '),
    right: [p(1, 0, 0), p(1, 0, 1), p(1, 1, 1), p(1, 1, 0)].join(' '),
  };
}

export function mount(root, ctx) {
  const core = ctx.core;
  const state = { kind: PROPERTIES.kind.default, groups: PROPERTIES.g.default, values: EXAMPLE.slice(), selected: PROPERTIES.cell.default - 1 };
  const invalid = new Set();  // cells whose text does not parse (their last valid value stays in state)
  let result = null;          // the core's last answer for the state's values

  // ---- Controls: the kind (a radio group) and G
  const kindName = uniqueId('cube-kind');
  const kindInputs = {};
  const kindFieldset = el('fieldset', { class: 'cube-kinds' },
    el('legend', { text: 'Normalization' }),
    Object.entries(KINDS).map(([kind, { name }]) => {
      const id = `${kindName}-${kind}`;
      kindInputs[kind] = el('input', { type: 'radio', id, name: kindName, value: kind, checked: kind === state.kind });
      kindInputs[kind].addEventListener('change', () => { if (kindInputs[kind].checked) setKind(kind); });
      return el('div', { class: 'cube-kind' }, kindInputs[kind], el('label', { for: id, text: name }));
    }));

  const groupsId = uniqueId('cube-groups');
  const groupsSelect = el('select', { id: groupsId, 'aria-describedby': `${groupsId}-hint` },
    GROUP_CHOICES.map((g) => el('option', { value: g, text: String(g), selected: g === state.groups })));
  groupsSelect.addEventListener('change', () => {
    state.groups = Number(groupsSelect.value);
    if (recompute()) remember();
  });
  const groupsField = el('div', { class: 'field cube-groups' },
    el('label', { for: groupsId, text: 'Groups G' }),
    el('p', { id: `${groupsId}-hint`, class: 'field-hint', text: 'For group norm: G must divide C = 4. G = 1 is layer norm, G = 4 instance norm.' }),
    groupsSelect);

  const resetButton = el('button', { type: 'button', class: 'button', text: 'Reset the example values' });
  resetButton.addEventListener('click', () => {
    state.values = EXAMPLE.slice();
    invalid.clear();
    for (const [i, input] of cellInputs.entries()) writeCell(i, input);
    if (recompute()) remember();
  });
  // What a shared link set that this figure could not use.
  const linkNotice = el('p', { class: 'field-error', 'aria-live': 'polite' });

  // ---- The cube (a picture: the summary below says the same in words)
  const cubeFaces = [];  // { index: the cell, group: its cubelet's <g> }
  const cube = svg('svg', { class: 'cube-svg', viewBox: '0 0 250 150', 'aria-hidden': 'true' });
  // Back to front (far slices first, lower rows first, left columns first), so that nearer faces cover.
  for (let s = S - 1; s >= 0; s--) {
    for (let n = N - 1; n >= 0; n--) {
      for (let c = 0; c < C; c++) {
        const index = cellIndex(n, c, Math.floor(s / W), s % W);
        const faces = cubeletFaces(c, n, s);
        const polygons = ['front', 'top', 'right'].map((face) => svg('polygon', { points: faces[face], class: `cube-face cube-face--${face}` }));
        const group = svg('g', { class: 'cube-cell', onclick: () => select(index, { focus: true }) }, polygons);
        cubeFaces.push({ index, group });
        cube.append(group);
      }
    }
  }
  const [ax, ay] = cubeCorner(0, N, 0);
  const [bx, by] = cubeCorner(C, N, 0);
  const [dx, dy] = cubeCorner(C, N, S);
  cube.append(
    svg('text', { class: 'cube-axis', x: ax - 8, y: (ay + CUBE.top) / 2 + 4, 'text-anchor': 'end', text: 'N' }),
    svg('text', { class: 'cube-axis', x: (ax + bx) / 2, y: ay + 18, 'text-anchor': 'middle', text: 'C' }),
    svg('text', { class: 'cube-axis', x: (bx + dx) / 2 + 10, y: (by + dy) / 2 + 10, text: 'H, W' }));

  // ---- The grid: the same 32 values, one block per example, one 2 × 2 tile per channel
  const gridHintId = uniqueId('cube-grid-hint');
  const cellInputs = new Map();  // cell index → its <input>
  const outputCells = new Map(); // cell index → its x̂ cell
  const tileOf = new Map();      // `${n},${c}` → [input tile, output tile]
  const makeBlocks = (editable) => Array.from({ length: N }, (_, n) => el('div', {
    class: 'cube-example', role: 'group', 'aria-label': `${editable ? 'x' : 'x̂'}, example ${n + 1}`,
  },
  el('p', { class: 'cube-example-name', 'aria-hidden': 'true', text: `example ${n + 1}` }),
  el('div', { class: 'cube-tiles' }, Array.from({ length: C }, (_, c) => {
    const tile = el('div', { class: 'cube-tile' },
      el('span', { class: 'cube-tile-name', 'aria-hidden': 'true', text: `c${c + 1}` }),
      Array.from({ length: H * W }, (_, s) => {
        const index = cellIndex(n, c, Math.floor(s / W), s % W);
        if (!editable) {
          const out = el('span', { class: 'cube-cell-out' });
          outputCells.set(index, out);
          return out;
        }
        const input = el('input', {
          type: 'text', inputmode: 'decimal', class: 'cube-cell-in', spellcheck: 'false', autocomplete: 'off',
          'aria-label': `x, ${cellName(cellOf(index))}`, 'aria-describedby': `${gridHintId} ${gridHintId}-error`,
          tabindex: index === state.selected ? 0 : -1,
        });
        writeCell(index, input);
        // Focus selects the whole value, so that typing replaces it and the arrow keys move on; a click
        // that focuses keeps that selection (its mouseup would otherwise place the caret).
        let clickFocus = false;
        input.addEventListener('mousedown', () => { clickFocus = document.activeElement !== input; });
        input.addEventListener('mouseup', (event) => { if (clickFocus) event.preventDefault(); clickFocus = false; });
        input.addEventListener('focus', () => { select(index); input.select(); });
        input.addEventListener('input', () => editCell(index, input.value));
        input.addEventListener('keydown', (event) => moveFrom(index, input, event));
        cellInputs.set(index, input);
        return input;
      }));
    const pair = tileOf.get(`${n},${c}`) || [];
    pair[editable ? 0 : 1] = tile;
    tileOf.set(`${n},${c}`, pair);
    return tile;
  }))));

  const gridError = el('p', { id: `${gridHintId}-error`, class: 'field-error', 'aria-live': 'polite' });
  const inputGrid = el('div', { class: 'cube-grid' },
    el('p', { class: 'cube-grid-title', text: 'Input x (edit any value)' }),
    el('p', { id: gridHintId, class: 'field-hint', text: 'Arrow keys move between the values; type to change one.' }),
    makeBlocks(true),
    gridError);
  const outputGrid = el('div', { class: 'cube-grid' },
    el('p', { class: 'cube-grid-title', text: 'Output x̂ = (x − μ) / √(σ² + ε), from the core' }),
    makeBlocks(false));

  // ---- The statistics, one row per set
  const statsBody = el('tbody');
  const statsTable = el('table', { class: 'stats cube-stats' },
    el('caption', { text: 'Shared statistics' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Values of' }),
      el('th', { scope: 'col', text: 'Mean μ' }),
      el('th', { scope: 'col', text: 'Variance σ²' }))),
    statsBody);

  const summary = el('p', { class: 'cube-summary', 'aria-live': 'polite' });
  const caption = el('p', { class: 'figure-caption' },
    'The cube, after Wu & He (2018, Fig. 2): N (examples) down, C (channels) across, H·W (positions in a feature map) into the page. ',
    'Shaded: the values that share the selected value’s mean and variance. ε = 1e−5, γ = 1, β = 0.');

  const figure = el('figure', { class: 'figure figure-cube' },
    el('div', { class: 'figure-controls' }, linkNotice, kindFieldset, groupsField, resetButton),
    el('div', { class: 'figure-output' },
      el('div', { class: 'cube-picture' }, cube, caption),
      el('div', { class: 'cube-grids' }, inputGrid, outputGrid),
      statsTable,
      summary));
  root.replaceChildren(figure);

  // ---- Behaviour
  function writeCell(index, input) {
    input.value = String(state.values[index]);
    input.removeAttribute('aria-invalid');
  }

  function setKind(kind) {
    state.kind = kind;
    if (recompute()) remember();
  }

  function editCell(index, text) {
    const parsed = parseNumber(text, `x, ${cellName(cellOf(index))}`);
    const input = cellInputs.get(index);
    if (parsed.error) {
      invalid.add(index);
      input.setAttribute('aria-invalid', 'true');
      gridError.textContent = parsed.error;
      return;  // the last valid value stays in the state, and its result on screen
    }
    invalid.delete(index);
    input.removeAttribute('aria-invalid');
    const previous = state.values[index];
    state.values[index] = parsed.value;
    if (recompute()) {
      remember();
      return;
    }
    // The core refused the tensor (a variance too large for a double): the value stays marked until fixed.
    state.values[index] = previous;
    invalid.add(index);
    input.setAttribute('aria-invalid', 'true');
  }

  // Arrow keys walk the unfolded tensor: left and right along w, then across channels; up and down
  // along h, then across examples. Left and right move the caret inside a value first.
  function moveFrom(index, input, event) {
    const { n, c, h, w } = cellOf(index);
    const row = n * H + h;
    const column = c * W + w;
    const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    let target = null;
    if (event.key === 'ArrowUp' && row > 0) target = [row - 1, column];
    else if (event.key === 'ArrowDown' && row < N * H - 1) target = [row + 1, column];
    else if (event.key === 'ArrowLeft' && column > 0 && (all || input.selectionEnd === 0)) target = [row, column - 1];
    else if (event.key === 'ArrowRight' && column < C * W - 1 && (all || input.selectionStart === input.value.length)) target = [row, column + 1];
    if (!target) return;
    event.preventDefault();
    const [r, k] = target;
    select(cellIndex(Math.floor(r / H), Math.floor(k / W), r % H, k % W), { focus: true });
  }

  // Selects a cell (the roving tab stop of the grid) and redraws the highlighted set.
  function select(index, { focus = false, fromLink = false } = {}) {
    if (state.selected !== index) {
      cellInputs.get(state.selected).tabIndex = -1;
      state.selected = index;
      cellInputs.get(index).tabIndex = 0;
      render();
      if (!fromLink) remember();
    }
    if (focus) cellInputs.get(index).focus();
  }

  // ---- The link: the learner's state, a moment after each change; a link's, once mounted (below) and
  // whenever one is followed on the open page. A link's values that the core refuses (too large, say)
  // stay in the grid with the core's message, as if typed.
  let link = null;
  function remember() {
    if (link) link.write({ kind: state.kind, g: state.groups, x: state.values, cell: state.selected + 1 });
  }
  function applyLink(values, notice) {
    linkNotice.textContent = notice;
    state.kind = values.kind;
    kindInputs[values.kind].checked = true;
    state.groups = values.g;
    groupsSelect.value = String(values.g);
    state.values = values.x.slice();
    invalid.clear();
    for (const [i, input] of cellInputs.entries()) writeCell(i, input);
    select(values.cell - 1, { fromLink: true });
    recompute();
  }

  // Asks the core and redraws. Returns false (and leaves the last result on screen) on an error.
  function recompute() {
    groupsSelect.disabled = state.kind !== 'group';
    const answer = normalizeFeatureMap(core, { kind: state.kind, groups: state.groups, x: nested(state.values), eps: EPS });
    if (answer.error) {
      gridError.textContent = asSentence(answer.error.field ? `${answer.error.field}: ${answer.error.message}` : answer.error.message);
      render();  // the sets still follow the controls; the numbers stay those of the last answer
      return false;
    }
    if (invalid.size === 0) gridError.textContent = '';
    result = { ...answer, kind: state.kind, groups: state.groups };
    render();
    return true;
  }

  function render() {
    const { kind, groups } = state;
    const selectedCell = cellOf(state.selected);
    const selectedSet = setOf(kind, groups, selectedCell).id;

    for (const { index, group } of cubeFaces) {
      const id = setOf(kind, groups, cellOf(index)).id;
      group.setAttribute('class', `cube-cell set-${id}${id === selectedSet ? ' is-shared' : ''}`);
    }
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const id = setOf(kind, groups, { n, c }).id;
        for (const tile of tileOf.get(`${n},${c}`)) {
          tile.className = `cube-tile set-${id}${id === selectedSet ? ' is-shared' : ''}`;
        }
      }
    }
    for (const [index, input] of cellInputs) input.classList.toggle('is-selected', index === state.selected);

    const answered = result && result.kind === kind && result.groups === groups ? result : null;
    for (const [index, out] of outputCells) {
      out.textContent = answered ? short(answered.y[index]) : '…';
      out.classList.toggle('is-selected', index === state.selected);
    }

    // One row per set, in the core's order; the selected value's set is marked.
    const rows = [];
    const seen = new Set();
    for (let i = 0; i < N * C * H * W; i++) {
      const cell = cellOf(i);
      const set = setOf(kind, groups, cell);
      if (seen.has(set.id)) continue;
      seen.add(set.id);
      rows.push({ set, cell });
    }
    rows.sort((a, b) => a.set.id - b.set.id);
    statsBody.replaceChildren(...rows.map(({ set, cell }) => el('tr', {
      class: `set-${set.id}${set.id === selectedSet ? ' is-shared' : ''}`,
      'aria-current': set.id === selectedSet ? 'true' : undefined,
    },
    el('th', { scope: 'row', text: setLabel(kind, groups, cell) }),
    el('td', { text: answered ? formatNumber(statAt(answered.mean, set.statIndex)) : '…' }),
    el('td', { text: answered ? formatNumber(statAt(answered.variance, set.statIndex)) : '…' }))));

    summary.textContent = describe(answered, selectedCell);
  }

  // The figure in words (for a screen reader, and for anyone reading the numbers).
  function describe(answered, cell) {
    const { kind, groups } = state;
    const count = setCount(kind, groups);
    const size = (N * C * H * W) / count;
    const over = kind === 'group'
      ? `one per example and group of ${C / groups} channel${C / groups > 1 ? 's' : ''}, over ${C / groups}·H·W = ${size} values`
      : KINDS[kind].over;
    const head = `${KINDS[kind].name}${kind === 'group' ? ` with G = ${groups}` : ''}: ${count} sets of ${size} values each share one mean and variance (${over}).`;
    const set = setOf(kind, groups, cell);
    const where = `The selected value, ${cellName(cell)}, x = ${formatNumber(state.values[state.selected])}, is in the set of ${setLabel(kind, groups, cell)}`;
    if (!answered) return `${head} ${where}.`;
    const xhat = answered.y[state.selected];
    return `${head} ${where}: mean ${formatNumber(statAt(answered.mean, set.statIndex))}, ` +
      `variance ${formatNumber(statAt(answered.variance, set.statIndex))}, so x̂ = ${formatNumber(xhat)}.`;
  }

  recompute();
  link = bindPageState(SECTION, applyLink);

  return {
    update() { recompute(); },
    destroy() {
      link.destroy();
      root.replaceChildren();
    },
  };
}

// The flat values → the nested [N][C][H][W] lists the core's JSON contract takes.
function nested(values) {
  return Array.from({ length: N }, (_, n) => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) =>
    Array.from({ length: W }, (_, w) => values[cellIndex(n, c, h, w)]))));
}
