// dom.js — the one way the page builds DOM (figures and exercises alike). Text always goes in as text
// (textContent or text nodes), never as HTML: a prompt from the core, a learner's answer or an imported
// file may contain "<", "&" or a whole <script> tag, and must not become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Creates an element. `attrs` are attributes, except: `text` (textContent), `class`, and `on*` functions
// (event listeners). Children may be nodes, strings (text nodes), or null/false (skipped).
export function el(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// The same for SVG elements.
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces an element's children (same rules as el's children).
export function setChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

// Ids unique on the page, so that several figures (or the same figure twice) never share a label target.
let counter = 0;
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// Text in which "_B" (an underscore and one letter) marks a subscript, as nodes: "σ²_B = 0" →
// σ²<sub>B</sub> = 0. For sentences that mention μ_B and σ²_B; the text itself is never parsed as HTML.
export function withSubscripts(text) {
  return String(text).split(/_([A-Za-z])/).map((part, i) => (i % 2 ? el('sub', { text: part }) : part));
}

// A symbol with a subscript, e.g. sub('μ', 'B') → μ<sub>B</sub>, as nodes (not HTML).
export function sub(base, subscript) {
  return [base, el('sub', { text: subscript })];
}
