// The lab's module (bnkata-training.js) does not grow WebAssembly memory over many TrainingLab handles:
// each create / configure / setData / step / probe / delete cycle frees what it allocated — the handle,
// the network and its workspaces, the copied-in data, the JSON strings Embind copies both ways — and so
// do the calls that answer an error. (The lab's worker makes exactly these calls, run after run.)
//
// Path: build/wasm/bnkata-training.js or $BNKATA_WASM_DIR/bnkata-training.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasm = path.join(path.resolve(root, process.env.BNKATA_WASM_DIR || 'build/wasm'), 'bnkata-training.js');
const require = createRequire(import.meta.url);

const CYCLES = 1000;
const FEATURES = 64, EXAMPLES = 1000, CLASSES = 4;
const bytesOf = (module) => module.HEAP8.buffer.byteLength;

// Deterministic inputs: a Float32Array of EXAMPLES × FEATURES values (256 KB) and labels 0 … CLASSES−1.
const images = Float32Array.from({ length: EXAMPLES * FEATURES }, (_, i) => ((i * 37) % 101) / 101 - 0.5);
const labels = Uint8Array.from({ length: EXAMPLES }, (_, i) => (i * 7) % CLASSES);
const config = (batchnorm) => JSON.stringify({
  seed: 3, sizes: [FEATURES, 32, 32, CLASSES], activation: 'relu', batchnorm, batch_size: 20, test_examples: 50,
  data: { kind: 'external' },
});

function ok(answer, what) {
  const parsed = JSON.parse(answer);
  assert.equal(parsed.error, undefined, `${what}: ${answer.slice(0, 300)}`);
  return parsed;
}
function refused(answer, field) {
  const parsed = JSON.parse(answer);
  assert.equal(parsed.error?.field, field, `expected an error about ${field}: ${answer.slice(0, 300)}`);
}

// One lab's whole life, as the worker lives it, with a few refused calls on the way.
function cycle(module, i) {
  const lab = new module.TrainingLab();
  try {
    refused(lab.step(1), 'config');                                   // step before configure
    ok(lab.configure(config(i % 2 ? 'before' : 'none')), 'configure');
    refused(lab.step(1), 'data');                                     // step before data
    refused(lab.setData('train', images.subarray(0, 10), labels), 'images');  // wrong length
    ok(lab.setData('train', images, labels), 'setData train');
    ok(lab.setData('test', images.subarray(0, 100 * FEATURES), labels.subarray(0, 100)), 'setData test');
    ok(lab.step(3), 'step');
    ok(lab.probe(JSON.stringify({ etas: [0.1, 1] })), 'probe');
    refused(lab.configure('{"sizes": [64, 0]}'), 'sizes[1]');
  } finally {
    lab.delete();
  }
}

test(`${CYCLES} TrainingLab lives (create, configure, setData, step, probe, delete) leave WebAssembly memory the same size`, async () => {
  assert.ok(existsSync(wasm), `${wasm} not found: build the wasm preset (or set BNKATA_WASM_DIR)`);
  const module = await require(wasm)();
  for (let i = 0; i < 20; i++) cycle(module, i);  // warm-up: the heap reaches its working size
  const before = bytesOf(module);
  // Teeth: leaking even the copied-in training set once per cycle would outgrow this heap.
  assert.ok(CYCLES * EXAMPLES * FEATURES * 4 > 4 * before,
    `leaking ${EXAMPLES * FEATURES * 4} bytes per cycle (${CYCLES} cycles) must exceed the heap (${before} bytes) several times`);
  for (let i = 0; i < CYCLES; i++) cycle(module, i);
  assert.equal(bytesOf(module), before, `memory grew from ${before} to ${bytesOf(module)} bytes over ${CYCLES} cycles`);
});
