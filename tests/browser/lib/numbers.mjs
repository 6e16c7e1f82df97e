// numbers.mjs — reading the numbers a page shows and comparing them with a stated tolerance.
import assert from 'node:assert/strict';

// Page numbers use a real minus sign (U+2212) and exponents like 1e−5.
export const toNumber = (text) => Number(text.trim().replace(/\u2212/g, '-'));

export function assertClose(actual, expected, tolerance, label) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: expected ${expected} ± ${tolerance}, got ${actual}`);
}
