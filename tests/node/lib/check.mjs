// check.mjs — comparing numbers with a tolerance chosen on purpose, and saying exactly how they differ.
import assert from 'node:assert/strict';

// Asserts |got − want| ≤ atol + rtol·|want| element by element (nested arrays are flattened; shapes must
// match). On failure the message gives the label, the first few want/got pairs that fail, the largest
// difference and the tolerance used.
export function assertClose(label, got, want, { rtol = 0, atol = 0 } = {}) {
  assert.deepEqual(shapeOf(got), shapeOf(want), `${label}: shape`);
  const g = flatten(got);
  const w = flatten(want);
  let maxDiff = 0;
  const bad = [];
  for (let i = 0; i < w.length; i++) {
    const diff = Math.abs(g[i] - w[i]);
    if (!(diff <= atol + rtol * Math.abs(w[i]))) bad.push(i);
    if (diff > maxDiff || Number.isNaN(diff)) maxDiff = diff;
  }
  if (bad.length) {
    const pairs = bad.slice(0, 4).map((i) => `[${i}] want ${w[i]} got ${g[i]}`).join(', ');
    assert.fail(`${label}: ${bad.length} of ${w.length} values outside tolerance (rtol ${rtol}, atol ${atol}); ` +
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
