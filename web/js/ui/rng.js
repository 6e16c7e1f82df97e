// rng.js — a small seeded random number generator: the figures' "randomize", so that a seed reproduces a
// batch, and scripts/build-mnist.mjs's build-time shuffle of the digits.

// mulberry32: 32-bit state, good enough for drawing example batches (not for cryptography).
export function mulberry32(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A batch of `size` values drawn from N(mean, sd²) with the generator seeded by `seed` (Box–Muller),
// rounded to `decimals` places so that it reads well in a text field.
export function randomBatch(seed, { size = 6, mean = 0, sd = 1, decimals = 2 } = {}) {
  const next = mulberry32(seed);
  const values = [];
  while (values.length < size) {
    const u = 1 - next();  // in (0, 1], so log(u) is finite
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    values.push(mean + sd * radius * Math.cos(2 * Math.PI * v));
    if (values.length < size) values.push(mean + sd * radius * Math.sin(2 * Math.PI * v));
  }
  const factor = 10 ** decimals;
  return values.map((x) => Math.round(x * factor) / factor);
}
