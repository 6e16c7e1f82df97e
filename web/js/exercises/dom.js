// dom.js — the one way the exercises build DOM: elements with text, never HTML.
//
// Everything an exercise shows (prompts from the core, the learner's own answers, messages about an
// imported file) may contain "<", "&" or a whole <script> tag. Text therefore only ever goes in through
// textContent / text nodes; there is no innerHTML anywhere in web/js/exercises/.

// h('p', { class: 'hint', 'aria-live': 'polite' }, 'text', child, …) → HTMLElement.
// Props: `class`, `text`, `on<event>` (a listener), booleans (set/unset as attributes), anything else is
// an attribute. Children: strings (text nodes), nodes, null/false (skipped), arrays (flattened).
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.appendChild(child);
    else element.appendChild(document.createTextNode(String(child)));
  }
}

// A page-unique id for label/aria wiring ("ex-3", "ex-4", …).
let counter = 0;
export function uniqueId(prefix = 'ex') {
  counter += 1;
  return `${prefix}-${counter}`;
}

// Formats a number for display the way a learner would write it: up to 6 significant digits, no
// exponent unless the magnitude needs one.
export function formatNumber(value) {
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return Number(value.toPrecision(6)).toExponential().replace('e+', 'e');
  return String(Number(value.toPrecision(6)));
}

// Formats a list of numbers as "[1, 2, 3]".
export function formatVector(values) {
  return `[${Array.from(values, formatNumber).join(', ')}]`;
}
