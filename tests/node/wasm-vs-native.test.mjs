// The browser and `bnkata compute` answer identically: the same request text gives byte-for-byte the
// same response from the WASM build as from the native CLI, for good requests and bad ones, and the CLI's
// exit status says which kind it was. Both page modules are held to it: bnkata-exercises.js answers every
// op as the CLI does; bnkata-core.js (the first visit's, Batch Normalization ops only) answers those ops
// identically too, and only where the CLI would list all its ops (an "op" error) does it list its own (the
// five Batch Normalization ops, step 3's gradient_projection, the normalization family's two and the
// figures' draw_batch).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadExercisesModule, loadWasmModule, runNative } from './lib/wasm-core.mjs';
import { BAD_REQUESTS, GOOD_REQUESTS } from './lib/requests.mjs';

const BN_OPS = ['forward_train', 'forward_stages', 'forward_eval', 'backward', 'update_running', 'gradient_projection', 'normalize', 'normalize_backward', 'draw_batch'];
let coreModule, exercisesModule;
before(async () => { [coreModule, exercisesModule] = await Promise.all([loadWasmModule(), loadExercisesModule()]); });

function compare(label, text) {
  const native = runNative(text);
  assert.equal(native.signal, null, `${label}: the CLI crashed (${native.signal})`);
  const expected = native.stdout.trimEnd();
  assert.equal(exercisesModule.compute(text), expected, `${label}: bnkata-exercises.js and native answers differ`);
  const core = coreModule.compute(text);
  const response = JSON.parse(expected);
  if (response.error?.field === 'op') {
    const coreError = JSON.parse(core).error;
    assert.equal(coreError?.field, 'op', `${label}: bnkata-core.js should refuse the op too`);
    assert.ok(coreError.message.includes(BN_OPS.join(', ')) && !coreError.message.includes('exercise'), `${label}: ${coreError.message}`);
  } else {
    assert.equal(core, expected, `${label}: bnkata-core.js and native answers differ`);
  }
  return { response, status: native.status };
}

test('good requests: WASM and native give identical answers, and the CLI exits 0', () => {
  for (const [label, request] of GOOD_REQUESTS) {
    const { response, status } = compare(label, JSON.stringify(request));
    assert.equal(response.error, undefined, `${label}: ${JSON.stringify(response.error)}`);
    assert.equal(status, 0, label);
  }
});

test('bad requests: WASM and native give identical error values, and the CLI exits non-zero', () => {
  for (const [label, text, field] of BAD_REQUESTS) {
    const { response, status } = compare(label, text);
    assert.equal(response.error?.field, field, label);
    assert.notEqual(status, 0, label);
  }
});

test('a larger random batch (N=64, C=16) gives bit-identical numbers in both builds', () => {
  // A fixed linear congruential sequence, so that the batch is the same on every run.
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 20 - 10;
  const x = Array.from({ length: 64 }, () => Array.from({ length: 16 }, next));
  const dy = Array.from({ length: 64 }, () => Array.from({ length: 16 }, next));
  compare('forward_train (64, 16)', JSON.stringify({ op: 'forward_train', x }));
  compare('forward_stages (64, 16)', JSON.stringify({ op: 'forward_stages', x }));
  compare('backward (64, 16)', JSON.stringify({ op: 'backward', x, dy }));
});

test('draw_batch: a figure\'s seeded batch is the same bits in both builds; a bad field is named alike', () => {
  const good = [
    { op: 'draw_batch', seed: 42, purpose: 'normalize', size: 6, mean: 5, sd: 2, decimals: 2 },
    { op: 'draw_batch', seed: 20150211, purpose: 'sigmoid-range', size: 400, mean: 3, sd: 2.5, decimals: 3 },
    { op: 'draw_batch', seed: 9007199254740991, purpose: 'unrounded', size: 4096 },  // every bit of every draw
  ];
  for (const request of good) {
    const { response, status } = compare(`draw_batch ${request.purpose}`, JSON.stringify(request));
    assert.equal(response.values.length, request.size);
    assert.equal(status, 0);
  }
  const bad = [
    ['seed', { seed: -1, purpose: 'p', size: 3 }],
    ['seed', { seed: 1.5, purpose: 'p', size: 3 }],
    ['purpose', { seed: 1, size: 3 }],
    ['size', { seed: 1, purpose: 'p', size: 4097 }],
    ['sd', { seed: 1, purpose: 'p', size: 3, sd: -2 }],
    ['decimals', { seed: 1, purpose: 'p', size: 3, decimals: 16 }],
    ['sd', { seed: 1, purpose: 'p', size: 3, mean: 1e308, sd: 1e308 }],
  ];
  for (const [field, request] of bad) {
    const { response, status } = compare(`draw_batch, bad ${field}`, JSON.stringify({ op: 'draw_batch', ...request }));
    assert.equal(response.error?.field, field, JSON.stringify(response));
    assert.notEqual(status, 0);
  }
});

test('the first-visit module answers the Batch Normalization ops only; the exercises are bnkata-exercises.js\'s', () => {
  const request = JSON.stringify({ op: 'exercise_catalog' });
  const native = runNative(request);
  assert.equal(native.status, 0);
  assert.equal(exercisesModule.compute(request), native.stdout.trimEnd());
  const refused = JSON.parse(coreModule.compute(request)).error;
  assert.equal(refused?.field, 'op');
  assert.match(refused.message, /unknown op "exercise_catalog"; expected one of forward_train, forward_stages, forward_eval, backward, update_running, gradient_projection, normalize, normalize_backward, draw_batch$/);
});
