// The seed kata's example, through the WASM build and the page's façade, against numbers derived by hand
// (the kata's worked example): x = [1, 2, 3, 4], ε = 1e-5.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadFacade } from './lib/wasm-core.mjs';
import { assertClose, mean, biasedVariance } from './lib/check.mjs';

const x = [1, 2, 3, 4];
const eps = 1e-5;
// By hand: μ = 10/4 = 2.5; σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25; x̂ᵢ = (xᵢ − 2.5)/√1.25001.
const handXhat = x.map((v) => (v - 2.5) / Math.sqrt(1.25 + eps));

let core;
before(async () => { ({ core } = await loadFacade()); });

test('forward_train on the seed batch gives mean 2.5, biased variance 1.25 and x̂ = (x − μ)/√(σ² + ε)', () => {
  const r = core.compute({ op: 'forward_train', x, eps });
  assert.deepEqual(Object.keys(r).sort(), ['batch_mean', 'batch_var', 'y']);
  assertClose('batch_mean', r.batch_mean, [2.5], { atol: 0 });
  assertClose('batch_var', r.batch_var, [1.25], { atol: 0 });
  assertClose('y against the hand formula', r.y, handXhat, { rtol: 1e-14 });
  // The kata prints x̂ to 6 decimals.
  assertClose('y against the printed digits', r.y, [-1.341635, -0.447212, 0.447212, 1.341635], { atol: 5e-7 });
});

test('after normalising, the mean is 0 and the variance is 0.999992, not 1 (ε stays in the denominator)', () => {
  const { y } = core.forwardTrain(x, { eps });
  assert.ok(y instanceof Float64Array);
  assertClose('mean(x̂)', mean(Array.from(y)), 0, { atol: 1e-15 });
  assertClose('var(x̂) = 1.25/1.25001', biasedVariance(Array.from(y)), 1.25 / 1.25001, { rtol: 1e-13 });
  assert.equal(biasedVariance(Array.from(y)).toFixed(6), '0.999992');
});

test('γ and β scale and shift: mean(y) = β and var(y) = γ²·σ²/(σ² + ε)', () => {
  const gamma = 2;
  const beta = 0.5;
  const { y } = core.forwardTrain(x, { gamma: [gamma], beta: [beta], eps });
  assertClose('y = γx̂ + β', y, handXhat.map((h) => gamma * h + beta), { rtol: 1e-14 });
  assertClose('mean(y)', mean(Array.from(y)), beta, { atol: 1e-15 });
  assertClose('var(y)', biasedVariance(Array.from(y)), gamma ** 2 * 1.25 / (1.25 + eps), { rtol: 1e-13 });
});

test('one PyTorch running-statistics step from (0, 1) gives mean 0.25 and variance 1.066667', () => {
  const r = core.updateRunning(x, { runningMean: [0], runningVar: [1], convention: 'pytorch' });
  // momentum 0.1 weights the new batch; the running variance takes the unbiased 5/3.
  assertClose('running_mean', r.runningMean, [0.9 * 0 + 0.1 * 2.5], { rtol: 1e-15 });
  assertClose('running_var', r.runningVar, [0.9 * 1 + 0.1 * (5 / 3)], { rtol: 1e-15 });
  assert.equal(r.runningVar[0].toFixed(6), '1.066667');
  assertClose('batch_var stays biased', r.batchVar, [1.25], { atol: 0 });
});

test('one Keras running-statistics step from (0, 1) gives mean 0.025 and variance 1.0025', () => {
  const r = core.updateRunning(x, { runningMean: [0], runningVar: [1], convention: 'keras' });
  // momentum 0.99 weights the old value; the running variance takes the biased 1.25.
  assertClose('running_mean', r.runningMean, [0.025], { rtol: 1e-14 });
  assertClose('running_var', r.runningVar, [1.0025], { rtol: 1e-14 });
});

test('inference uses the running statistics, not the batch: y = γ(x − r_mean)/√(r_var + ε) + β', () => {
  const { y } = core.forwardEval(x, { runningMean: [0.25], runningVar: [1.0666667], gamma: [1.5], beta: [-1] });
  assertClose('y', y, x.map((v) => 1.5 * (v - 0.25) / Math.sqrt(1.0666667 + 1e-5) - 1), { rtol: 1e-14 });
});

test('backward satisfies its definitions: Σ dx = 0, dβ = Σ dy, dγ = Σ dy·x̂', () => {
  const dy = [0.1, -0.4, 0.25, 0.7];
  const r = core.backward(x, dy, { gamma: [1.5], eps });
  assertClose('Σ dx', r.dx.reduce((a, b) => a + b, 0), 0, { atol: 1e-14 });
  assertClose('dbeta', r.dbeta, [dy.reduce((a, b) => a + b, 0)], { rtol: 1e-15 });
  assertClose('dgamma', r.dgamma, [dy.reduce((a, d, i) => a + d * handXhat[i], 0)], { rtol: 1e-13 });
  // Closed form by hand: dx = γ/(m·√(σ²+ε)) · (m·dy − Σdy − x̂·Σ(dy·x̂)).
  const m = x.length;
  const sumDy = dy.reduce((a, b) => a + b, 0);
  const sumDyXhat = dy.reduce((a, d, i) => a + d * handXhat[i], 0);
  const dx = dy.map((d, i) => 1.5 / (m * Math.sqrt(1.25 + eps)) * (m * d - sumDy - handXhat[i] * sumDyXhat));
  assertClose('dx', r.dx, dx, { rtol: 1e-12, atol: 1e-15 });
});

test('the façade keeps the layout: a flat (N=3, C=2) batch gets per-channel statistics and a flat y', () => {
  const flat = Float64Array.from([1, 10, 2, 20, 3, 60]);  // rows are examples, columns channels
  const r = core.forwardTrain(flat, { shape: [3, 2] });
  assertClose('batchMean', r.batchMean, [2, 30], { rtol: 1e-15 });
  assertClose('batchVar', r.batchVar, [2 / 3, (400 + 100 + 900) / 3], { rtol: 1e-14 });
  assert.equal(r.y.length, 6);
  assertClose('channel 0 of y', [r.y[0], r.y[2], r.y[4]], [-1, 0, 1].map((d) => d / Math.sqrt(2 / 3 + 1e-5)), { rtol: 1e-14 });
  // …and compute() itself answers with the nesting it was given.
  const nested = core.compute({ op: 'forward_train', x: [[1, 10], [2, 20], [3, 60]] });
  assert.equal(nested.y.length, 3);
  assert.equal(nested.y[0].length, 2);
});
