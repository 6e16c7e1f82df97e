// The numpy fixtures the native doctest suite uses (tests/fixtures/batchnorm_cases.json, written by the
// committed tests/fixtures/generate.py), run through the WASM build via the page's façade, at the same
// tolerances as tests/test_batchnorm.cpp: |want − got| ≤ tol·max(1, |want|).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadFacade } from './lib/wasm-core.mjs';
import { assertClose } from './lib/check.mjs';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/batchnorm_cases.json', import.meta.url), 'utf8'));

let core;
before(async () => { ({ core } = await loadFacade()); });

test('the fixture file holds the 1-D, (N, C) and (N, C, H, W) cases and the 1e8 offset case', () => {
  assert.deepEqual(fixtures.cases.map((c) => c.shape.length).sort(), [1, 2, 4]);
  assert.ok(fixtures.offset.x.length >= 100);
});

for (const c of fixtures.cases) {
  const layout = { shape: c.shape, gamma: c.gamma, beta: c.beta, eps: c.eps };

  test(`${c.name}: forward_train matches numpy (y 1e-12; batch mean and biased variance 1e-13)`, () => {
    const r = core.forwardTrain(c.x, layout);
    assertClose('y', r.y, c.y, { tol: 1e-12 });
    assertClose('batch_mean', r.batchMean, c.batch_mean, { tol: 1e-13 });
    assertClose('batch_var', r.batchVar, c.batch_var, { tol: 1e-13 });
  });

  test(`${c.name}: forward_eval matches numpy (1e-12)`, () => {
    const r = core.forwardEval(c.x, { ...layout, runningMean: c.running_mean, runningVar: c.running_var });
    assertClose('y_eval', r.y, c.y_eval, { tol: 1e-12 });
  });

  test(`${c.name}: backward matches numpy's node-by-node backprop (dx, dγ, dβ 1e-12)`, () => {
    const r = core.backward(c.x, c.dy, layout);
    assertClose('dx', r.dx, c.dx, { tol: 1e-12 });
    assertClose('dgamma', r.dgamma, c.dgamma, { tol: 1e-12 });
    assertClose('dbeta', r.dbeta, c.dbeta, { tol: 1e-12 });
  });

  test(`${c.name}: running statistics match numpy under both conventions (1e-13)`, () => {
    const start = { shape: c.shape, runningMean: c.running_mean, runningVar: c.running_var };
    const pytorch = core.updateRunning(c.x, { ...start, convention: 'pytorch' });
    assertClose('pytorch running_mean', pytorch.runningMean, c.pytorch_running_mean, { tol: 1e-13 });
    assertClose('pytorch running_var (unbiased batch variance)', pytorch.runningVar, c.pytorch_running_var, { tol: 1e-13 });
    const keras = core.updateRunning(c.x, { ...start, convention: 'keras' });
    assertClose('keras running_mean', keras.runningMean, c.keras_running_mean, { tol: 1e-13 });
    assertClose('keras running_var (biased batch variance)', keras.runningVar, c.keras_running_var, { tol: 1e-13 });
  });
}

test('a channel at 1e8 + N(0, 1) still normalises to within 1e-6 of numpy\'s extended-precision result', () => {
  const o = fixtures.offset;
  const r = core.forwardTrain(o.x, { eps: o.eps });
  assertClose('x̂ at 1e8 offset', r.y, o.xhat, { tol: 1e-6 });
  assert.ok(Math.abs(r.batchVar[0] - o.var) < 1e-6, `variance ${r.batchVar[0]} vs ${o.var}`);
});
