// The page's three WebAssembly modules (bnkata-core.js, bnkata-exercises.js, bnkata-training.js) against
// what fuzzing under ASan/UBSan and hand-made extremes found (docs/reliability.md): each input gets a
// clean error value naming its field — never an abort, which in WebAssembly kills the module for good —
// and the module answers a good request correctly afterwards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadWasmModule, loadExercisesModule, wasmDir } from './lib/wasm-core.mjs';
import { HEAVY_REQUESTS } from './lib/heavy-requests.mjs';

const require = createRequire(import.meta.url);
let core, exercises, training;
before(async () => {
  core = await loadWasmModule();
  exercises = await loadExercisesModule();
  training = await require(path.join(wasmDir, 'bnkata-training.js'))();
});

const deep = '['.repeat(100000) + ']'.repeat(100000);
const heapBytes = (module) => module.HEAP8.buffer.byteLength;

function refused(answer, field, words) {
  const r = JSON.parse(answer);  // valid JSON text, whatever was asked
  assert.ok(r.error, `expected an error about ${field}, got ${answer.slice(0, 300)}`);
  assert.equal(r.error.field, field, `field (message: ${r.error.message})`);
  if (words) assert.match(r.error.message, words);
  return r;
}

// The seed's example, answered correctly: the module is alive and its state sound.
function stillAnswers(module) {
  const r = JSON.parse(module.compute('{"op":"forward_train","x":[1,2,3,4]}'));
  assert.deepEqual(r.batch_mean, [2.5]);
  assert.deepEqual(r.batch_var, [1.25]);
}
function labStillAnswers() {
  const lab = new training.TrainingLab();
  try {
    const config = { seed: 1, sizes: [2, 8, 3], batchnorm: 'before', batch_size: 10, data: { kind: 'blobs', train: 40, test: 20 } };
    assert.equal(JSON.parse(lab.configure(JSON.stringify(config))).error, undefined);
    const r = JSON.parse(lab.step(5));
    assert.equal(r.step, 5);
    assert.equal(r.diverged, null);
  } finally {
    lab.delete();
  }
}

// Requests both compute modules answer (the BN ops are in both).
const BN_EXTREMES = [
  ['nesting 100,000 deep', deep, 'request', /nested more than 32 levels deep/],
  ['a spread whose squares overflow: forward_train', '{"op":"forward_train","x":[1e154,-1e154]}', 'x', /too large/],
  ['... forward_stages', '{"op":"forward_stages","x":[1e154,-1e154]}', 'x', /too large/],
  ['... update_running', '{"op":"update_running","x":[1e154,-1e154],"running_mean":[0],"running_var":[1],"convention":"keras"}', 'x', /too large/],
  ['... backward', '{"op":"backward","x":[1e154,-1e154],"dy":[1,1]}', 'x', /too large/],
  ['a lone surrogate (invalid UTF-8 once encoded)', `{"op":"\uD800"}`, 'request', /not valid JSON/],
];

test('the two compute modules answer every extreme with an error value and keep answering', () => {
  for (const module of [core, exercises]) {
    for (const [what, text, field, words] of BN_EXTREMES) {
      try { refused(module.compute(text), field, words); } catch (error) { error.message = `${what}: ${error.message}`; throw error; }
    }
    stillAnswers(module);
  }
});

test('reading a request of many small values costs a fresh module\'s heap at most 10× its size', async () => {
  // The worst shapes the JSON interface allows (lib/heavy-requests.mjs; scripts/bench-memory.mjs prints
  // what each costs). A 30 MiB text of "[]," once grew the wasm32 heap by over half a GiB; "[0],[0],…",
  // by 14× its size. The reader refuses them before building anything. WebAssembly memory only grows, so
  // each request gets a module of its own. (Requests that are answered also cost their answer: see
  // docs/reliability.md.)
  for (const [what, text, refusal] of HEAVY_REQUESTS.filter(([, , refusal]) => refusal)) {
    const module = await loadWasmModule();
    const heap = heapBytes(module);
    try {
      refused(module.compute(text), ...refusal);
      assert.ok(heapBytes(module) - heap <= 10 * text.length,
        `heap grew by ${heapBytes(module) - heap} bytes for ${text.length} bytes of text`);
      stillAnswers(module);
    } catch (error) { error.message = `${what}: ${error.message}`; throw error; }
  }
});

test('the exercises\' module quotes what a learner typed without cutting a character in two', () => {
  const typed = 'x' + 'é'.repeat(40);  // an unknown name, quoted at most 20 bytes long
  const r = JSON.parse(exercises.compute(JSON.stringify({ op: 'grade', id: 's1-formula', seed: 1, answer: { xhat: typed } })));
  assert.equal(r.fields.xhat.verdict, 'invalid');
  assert.ok(!r.fields.xhat.message.includes('\uFFFD'), r.fields.xhat.message);
  stillAnswers(exercises);
});

test('the training module answers every extreme with an error value and keeps answering', () => {
  const lab = new training.TrainingLab();
  try {
    // A quoted value cut inside a UTF-8 character; the answer is valid JSON (JSON.parse would throw).
    refused(lab.configure(JSON.stringify({ activation: 'x' + 'é'.repeat(30) })), 'activation', /expected one of/);
    refused(lab.configure(deep), 'config', /nested more than 32 levels deep/);
    refused(lab.configure(`{"sizes":${'['.repeat(40)}${']'.repeat(40)}}`), 'sizes', /nested more than 32/);
    refused(lab.configure(' '.repeat((32 << 20) + 1)), 'config', /too large/);
    refused(lab.configure(JSON.stringify({ sizes: [2, 4096, 974, 2], batch_size: 1576 })), 'batch_size', /multiply-adds/);
    refused(lab.configure(JSON.stringify({ sizes: [2, 4096, 974, 2], batch_size: 2, test_examples: 100000 })), 'test_examples', /multiply-adds/);

    assert.equal(JSON.parse(lab.configure(JSON.stringify({ sizes: [2, 1024, 1024, 2], batch_size: 200, test_examples: 10,
      data: { kind: 'blobs', train: 200, test: 10 } }))).error, undefined);
    refused(lab.step(1000), 'k', /at most \d+ steps per call/);
    refused(lab.probe(JSON.stringify({ etas: Array(64).fill(0.1) })), 'etas', /at most \d+ step sizes/);
    refused(lab.probe(`{"etas":${deep}}`), 'etas', /nested more than 32/);

    // A spread too wide for float's squares: the run diverges and says where, instead of training on σ² = 0.
    assert.equal(JSON.parse(lab.configure(JSON.stringify({ sizes: [2, 4, 2], batchnorm: 'before', init_scale: 1,
      batch_size: 4, data: { kind: 'external' } }))).error, undefined);
    const images = Float32Array.from([1e20, -1e20, -1e20, 1e20, 3e20, 1e20, -2e20, -3e20]);
    assert.equal(JSON.parse(lab.setData('train', images, Uint8Array.from([0, 1, 0, 1]))).error, undefined);
    const r = JSON.parse(lab.step(1));
    assert.deepEqual(r.diverged, { step: 1, quantity: 'BN outputs of layer 1' });
  } finally {
    lab.delete();
  }
  labStillAnswers();
});
