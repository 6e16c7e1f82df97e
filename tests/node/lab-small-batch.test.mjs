// The small-batch experiment's text, checked against a real run of its default lanes.
//
// tests/fixtures/exercises/run-small-batch-seed1.json is made by
// `node tests/fixtures/exercises/make-run-summaries.mjs small-batch` (native `bnkata train` of every lane,
// reduced by `bnkata summarise`, the run summary the page's worker computes too; the native and
// WebAssembly engines give the same bits, tests/node/training-native-wasm.test.mjs). Every number and comparison the text states is
// read from the text and compared with that run, so the text cannot drift from what the lab shows; and
// the run must be of the lanes the lab trains today, so a changed config cannot leave the text behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { experiments, withDefaults } from '../../web/js/lab/experiments.js';
import { SMALL_BATCHES } from '../../web/js/lab/small-batch.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, '../fixtures/exercises/run-small-batch-seed1.json'), 'utf8'));
const experiment = experiments['small-batch'];
const text = experiment.explain;
const { eval_accuracy: accuracy, gap } = fixture.summary;
const percent = (x) => Math.round(100 * x);

test('the run behind the text is of the lab\'s default lanes, as they are configured now', () => {
  const values = withDefaults(experiment);
  assert.deepEqual(fixture.settings, values);
  const configs = fixture.commands.filter((command) => command.startsWith('bnkata train ')).map((command) => JSON.parse(command.match(/^bnkata train (\{.*\}) --steps/)[1]));
  assert.deepEqual(configs, experiment.lanes(values).map((lane) => lane.config));
  assert.equal(fixture.summary.steps, values.steps);
  assert.match(text, new RegExp(`\\(${values.steps.toLocaleString('en-US')} by default\\)`));
  assert.match(text, new RegExp(`Here \\(seed ${values.seed}, ${values.steps.toLocaleString('en-US')} steps, BN ${values.placement} the nonlinearity\\)`));
  const group = experiment.lanes(values).find((lane) => lane.config.norm === 'group').config;
  assert.match(text, new RegExp(`\\(${group.sizes.join('-')}, ReLU, MNIST\\)`));
  assert.equal(group.activation, 'relu');
  assert.match(text, new RegExp(`group norm \\(${group.norm_groups} groups of ${group.sizes[1] / group.norm_groups} units per example\\)`));
});

test('"at batch 60 the three are within 1 point of each other"', () => {
  assert.match(text, /at batch 60 the three are within 1 point of each other/);
  const at60 = Object.values(accuracy).map((byBatch) => byBatch[60]);
  assert.ok(Math.max(...at60) - Math.min(...at60) <= 0.01, `eval-mode accuracies at batch 60: ${at60}`);
});

test('at batch 2, the eval-mode accuracies the text quotes are the run\'s, and batch norm\'s is the lowest', () => {
  const quoted = text.match(/at batch 2 batch norm reaches (\d+) % in eval mode, group norm (\d+) % and layer norm (\d+) %/);
  assert.ok(quoted, 'the text quotes the three accuracies at batch 2');
  assert.deepEqual(quoted.slice(1).map(Number), [accuracy.batch[2], accuracy.group[2], accuracy.layer[2]].map(percent));
  assert.ok(accuracy.batch[2] < Math.min(accuracy.group[2], accuracy.layer[2]));
});

test('batch norm\'s gap: the quoted value at batch 2, shrinking as the batch grows, 0 at batch 60', () => {
  const quoted = text.match(/its gap is −(\d+) points at batch 2 and shrinks as the batch grows, to 0 at batch 60/);
  assert.ok(quoted, 'the text quotes the gap');
  assert.equal(-Number(quoted[1]), percent(gap.batch[2]));
  assert.ok(gap.batch[2] < 0, '"lower still": with batch statistics the accuracy is lower than in eval mode');
  const sizes = SMALL_BATCHES.map((b) => Math.abs(gap.batch[b]));
  for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i] < sizes[i - 1], `the gap shrinks from batch ${SMALL_BATCHES[i - 1]} to ${SMALL_BATCHES[i]}: ${sizes}`);
  assert.equal(percent(gap.batch[60]), 0);
});

test('"for group and layer norm the two are one computation, so their gap is 0": exactly, at every batch size', () => {
  assert.match(text, /For group and layer norm the two are one computation, so their gap is 0/);
  for (const norm of ['group', 'layer']) for (const b of SMALL_BATCHES) assert.equal(gap[norm][b], 0, `${norm} at batch ${b}`);
});

test('"with two examples, each unit\'s batch-normalised values are ±1 (up to ε)": x̂ = ±(a − b)/2 / √((a − b)²/4 + ε)', () => {
  assert.match(text, /With two examples, each unit's batch-normalised values are ±1 \(up to ε\) whatever the inputs/);
  const eps = 1e-5;
  for (const [a, b] of [[0.3, -2], [100, 100.5], [1e-3, 0]]) {
    const mean = (a + b) / 2, variance = ((a - b) / 2) ** 2;
    const xhat = [a, b].map((x) => (x - mean) / Math.sqrt(variance + eps));
    assert.ok(Math.abs(Math.abs(xhat[0]) - 1) < eps / (2 * variance) + 1e-12, `${a}, ${b}: ${xhat}`);
    assert.equal(xhat[0], -xhat[1]);
  }
});

test('"fewer digits seen in the same steps (2,000 at batch 2, 60,000 at batch 60)"', () => {
  const steps = fixture.summary.steps;
  assert.match(text, new RegExp(`\\(${(2 * steps).toLocaleString('en-US')} at batch 2, ${(60 * steps).toLocaleString('en-US')} at batch 60\\)`));
});
