// Bad input never crashes the WASM build: every request below gets an error value naming the field at
// fault and saying what was expected, the module keeps answering afterwards, and the façade turns the
// value into a real JS Error with .field.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadFacade } from './lib/wasm-core.mjs';
import { CoreError } from '../../web/js/core.js';
import { BAD_REQUESTS } from './lib/requests.mjs';

let core;
let module;
before(async () => { ({ core, module } = await loadFacade()); });

test('every bad request is answered with an error value naming its field and what was expected', () => {
  for (const [what, text, field] of BAD_REQUESTS) {
    const response = JSON.parse(module.compute(text));
    assert.ok(response.error, `${what}: expected an error, got ${JSON.stringify(response).slice(0, 200)}`);
    assert.deepEqual(Object.keys(response), ['error'], `${what}: an error response holds only the error`);
    assert.equal(response.error.field, field, `${what}: field (message: ${response.error.message})`);
    assert.equal(typeof response.error.message, 'string', what);
    assert.ok(response.error.message.length > 5, `${what}: message says what was expected`);
  }
});

test('a request larger than 32 MiB is refused before it is parsed', () => {
  const text = `{"op":"forward_train","x":[${'1,'.repeat(17 << 20)}1]}`;  // ~34 MiB
  const response = JSON.parse(module.compute(text));
  assert.equal(response.error?.field, 'request');
  assert.match(response.error.message, /too large/);
});

test('the module keeps answering correctly after every kind of bad input', () => {
  for (const [, text] of BAD_REQUESTS) module.compute(text);
  const r = core.compute({ op: 'forward_train', x: [1, 2, 3, 4] });
  assert.deepEqual(r.batch_mean, [2.5]);
  assert.deepEqual(r.batch_var, [1.25]);
});

test('a batch of one per channel: forward_train answers y = β with a warning saying why', () => {
  const r = core.compute({ op: 'forward_train', x: [7], beta: [0.5] });
  assert.deepEqual(r.y, [0.5]);
  assert.deepEqual(r.batch_var, [0]);
  assert.equal(typeof r.warning, 'string');
  assert.ok(r.warning.length > 10);
  assert.equal(core.forwardTrain([7], { beta: [0.5] }).warning, r.warning);
});

test('a batch of one per channel: update_running under pytorch refuses, as PyTorch does; keras answers', () => {
  const refused = core.compute({ op: 'update_running', x: [7], running_mean: [0], running_var: [1], convention: 'pytorch' });
  assert.match(refused.error?.message ?? '', /more than 1 value per channel/i);
  const keras = core.compute({ op: 'update_running', x: [7], running_mean: [0], running_var: [1], convention: 'keras' });
  assert.equal(keras.error, undefined);
  assert.ok(Math.abs(keras.running_mean[0] - 0.07) < 1e-15);  // 0.99·0 + 0.01·7
});

test('the façade throws a real Error carrying .field; compute() returns the error value as it is', () => {
  assert.throws(() => core.forwardTrain([1, 2], { gamma: [1, 2, 3] }), (error) =>
    error instanceof Error && error instanceof CoreError && error.field === 'gamma' && /gamma/.test(error.message));
  assert.throws(() => core.forwardTrain([]), (error) => error.field === 'x');
  assert.throws(() => core.forwardTrain([1, Number.NaN]), (error) => error.field === 'x');  // NaN → null in JSON
  assert.throws(() => core.backward([1, 2, 3], [1, 2]), (error) => error.field === 'dy');
  assert.throws(() => core.forwardTrain([1, 2, 3], { shape: [2, 2] }), (error) => error.field === 'x');
  const value = core.compute({ op: 'forward_train', x: [1, 2], eps: -1 });
  assert.equal(value.error.field, 'eps');
});
