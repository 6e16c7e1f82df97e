// format.js — how numbers are shown on the page: six decimals (six significant digits below 1), trailing zeros dropped, a real
// minus sign, scientific notation for the very small and the very large.

const MINUS = '\u2212';

function withMinus(text) {
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

// 2.5 → "2.5", -1.3416354 → "−1.341635", 1.875e-7 → "1.875e−7", NaN → "NaN".
export function formatNumber(value, { decimals = 6 } = {}) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${MINUS}∞`;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 10 ** -(decimals - 2) && magnitude < 1e15) {
    // At least `decimals` decimals, and for values below 1 that many significant digits (0.00316228).
    const text = magnitude < 1 ? value.toPrecision(decimals) : value.toFixed(decimals);
    const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
    return withMinus(trimmed === '-0' ? '0' : trimmed);
  }
  const [mantissa, exponent] = value.toExponential(3).split('e');
  const trimmed = mantissa.replace(/\.?0+$/, '');
  return `${withMinus(trimmed)}e${withMinus(exponent.replace('+', ''))}`;
}

// A value that is zero in exact arithmetic but carries floating-point rounding (e.g. the mean of x̂,
// about 1e-17) is shown as 0: anything below `relative` × `scale` (a few units in the last place), where scale is the size of the
// numbers it was computed from.
export function formatResidue(value, scale, { relative = 1e-14 } = {}) {
  if (Number.isFinite(value) && Math.abs(value) <= relative * Math.max(Math.abs(scale), Number.MIN_VALUE)) return '0';
  return formatNumber(value);
}

// ε on the page: 1e-5 → "1e−5", 0.001 → "1e−3", 3.16e-4 → "3.162e−4".
export function formatEpsilon(value) {
  if (value === 0) return '0';
  const exponent = Math.log10(value);
  if (Number.isInteger(Math.round(exponent * 1e9) / 1e9)) return `1e${withMinus(String(Math.round(exponent)))}`;
  return formatNumber(value);
}

// A message as a sentence: the core's error values start in lower case and have no full stop.
export function asSentence(message) {
  const text = String(message).trim();
  if (!text) return text;
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?…)]$/.test(capital) ? capital : `${capital}.`;
}

// The size against which rounding residue in x̂ is judged: x̂ is computed from values as large as
// max|x| divided by the denominator √(σ² + ε), so its rounding error scales with their ratio (a nearly
// constant batch at 3 with spread 4e-4 leaves residue near 1e-13, not 1e-16). Given as a ratio of sizes
// the core reported: max|x| · max|x̂| / max|x − μ|.
export function residueScale(xs, xhats, centered) {
  const largest = (list) => Math.max(0, ...Array.from(list, Math.abs));
  const spread = largest(centered);
  return spread > 0 ? (largest(xs) * largest(xhats)) / spread : 1;
}

// A list of values: "−1.341635, −0.447212, 0.447212, 1.341635".
export function formatList(values, options) {
  return Array.from(values, (v) => formatNumber(v, options)).join(', ');
}

// A vector as "[1, −2.5, 3]".
export function formatVector(values, options) {
  return `[${formatList(values, options)}]`;
}
