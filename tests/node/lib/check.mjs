// check.mjs — comparing numbers with a tolerance chosen on purpose, and saying exactly how they differ.
import assert from 'node:assert/strict';

// Asserts |got − want| ≤ atol + rtol·|want| element by element (nested arrays are flattened; shapes must
// match). `tol` alone means the doctest suite's rule, |got − want| ≤ tol·max(1, |want|) (absolute near
// zero, relative for large values), so that the WASM build is held to the native tolerances. On failure
// the message gives the label, the first few want/got pairs that fail, the largest difference and the
// tolerance used.
export function assertClose(label, got, want, { rtol = 0, atol = 0, tol } = {}) {
  if (tol !== undefined) { rtol = tol; atol = tol; }
  assert.deepEqual(shapeOf(got), shapeOf(want), `${label}: shape`);
  const g = flatten(got);
  const w = flatten(want);
  let maxDiff = 0;
  const bad = [];
  for (let i = 0; i < w.length; i++) {
    const diff = Math.abs(g[i] - w[i]);
    const allowed = tol !== undefined ? tol * Math.max(1, Math.abs(w[i])) : atol + rtol * Math.abs(w[i]);
    if (!(diff <= allowed)) bad.push(i);
    if (diff > maxDiff || Number.isNaN(diff)) maxDiff = diff;
  }
  if (bad.length) {
    const pairs = bad.slice(0, 4).map((i) => `[${i}] want ${w[i]} got ${g[i]}`).join(', ');
    const rule = tol !== undefined ? `tol ${tol}·max(1, |want|)` : `rtol ${rtol}, atol ${atol}`;
    assert.fail(`${label}: ${bad.length} of ${w.length} values outside tolerance (${rule}); ` +
      `max |diff| ${maxDiff}; ${pairs}`);
  }
}

export function flatten(value) {
  return Array.isArray(value) ? value.flat(Infinity) : ArrayBuffer.isView(value) ? Array.from(value) : [value];
}

export function shapeOf(value) {
  if (ArrayBuffer.isView(value)) return [value.length];
  const shape = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const biasedVariance = (xs) => { const m = mean(xs); return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length; };
