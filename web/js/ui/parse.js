// parse.js — turning what a learner types into numbers, or into a message that says what was expected.
// Results are values, never exceptions: { value } / { values } on success, { error } otherwise.

// A plain decimal number: optional sign, digits with an optional point, optional exponent. Stricter than
// Number(), which would also accept "", "0x10", "Infinity" and "  " — none of which a learner means as a
// batch value.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// Typographic minus signs (as copied from papers or this page) count as "-".
const MINUS_SIGNS = /[\u2212\u2012\u2013\u2014\uFE63\uFF0D]/g;

function quote(text) {
  const shown = text.length > 24 ? `${text.slice(0, 23)}…` : text;
  return `“${shown}”`;
}

// One number from a text field. `what` names the field in messages ("γ", "ε").
export function parseNumber(text, what) {
  const token = String(text).trim().replace(MINUS_SIGNS, '-');
  if (token === '') return { error: `${what} is empty: enter a number.` };
  if (!DECIMAL.test(token)) return { error: `${what}: ${quote(token)} is not a number. Write it like 0.5, -2 or 1e-5.` };
  const value = Number(token);
  if (!Number.isFinite(value)) {
    return { error: `${what}: ${token} is too large for double precision (the limit is about 1.8e308).` };
  }
  return { value };
}

// A batch: numbers separated by commas, semicolons, spaces, tabs or new lines (so a pasted NumPy array,
// spreadsheet column or Python list all work; brackets are ignored). At most `maxValues` values.
export function parseBatch(text, { maxValues = 64 } = {}) {
  const tokens = String(text).replace(/[[\]()]/g, ' ').split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length === 0) return { error: 'The batch is empty: enter at least one number.' };
  if (tokens.length > maxValues) {
    return { error: `The batch has ${tokens.length} values; this figure takes at most ${maxValues}.` };
  }
  const values = [];
  for (let i = 0; i < tokens.length; i++) {
    const parsed = parseNumber(tokens[i], `Value ${i + 1}`);
    if (parsed.error) return { error: parsed.error };
    values.push(parsed.value);
  }
  return { values };
}
