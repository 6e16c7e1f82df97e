// The browser and `bnkata compute` answer identically: the same request text gives byte-for-byte the
// same response from the WASM build as from the native CLI, for good requests and bad ones, and the CLI's
// exit status says which kind it was.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasmModule, runNative } from './lib/wasm-core.mjs';
import { BAD_REQUESTS, GOOD_REQUESTS } from './lib/requests.mjs';

let module;
before(async () => { module = await loadWasmModule(); });

function compare(label, text) {
  const wasm = module.compute(text);
  const native = runNative(text);
  assert.equal(native.signal, null, `${label}: the CLI crashed (${native.signal})`);
  assert.equal(native.stdout.trimEnd(), wasm, `${label}: WASM and native answers differ`);
  return { response: JSON.parse(wasm), status: native.status };
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
