// The run summary step 3 grades is made by one piece of the engine (cpp/src/training/run_summary.cpp)
// wherever it runs: `bnkata summarise` natively (which made the committed fixtures) and runSummary in the
// lab's WebAssembly module (which the page's worker calls) give the same summary for the same record of
// real runs, and the same error for a record they cannot use.
//
// The records are real: short runs of the lab's own experiments (their lanes from experiments.js, on the
// 2-D synthetic sets so no digits are needed), trained with `bnkata train`; the landscape's probes come
// from the module's TrainingLab, as in the page.
//
// Paths: the CLI is build/native/bnkata or env BNKATA_CLI; the module is build/wasm/bnkata-training.js or
// $BNKATA_WASM_DIR/bnkata-training.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { experiments, withDefaults } from '../../web/js/lab/experiments.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.BNKATA_CLI || path.join(root, 'build', 'native', 'bnkata');
const wasm = path.join(path.resolve(root, process.env.BNKATA_WASM_DIR || 'build/wasm'), 'bnkata-training.js');
const require = createRequire(import.meta.url);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bnkata-summary-'));

const blobs = { kind: 'blobs', train: 300, test: 200 };

// Every report `bnkata train` prints for config, one per `every` steps, without the per-step losses (as
// the page's worker drops them).
function train(config, steps, every) {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const out = execFileSync(cli, ['train', file, '--steps', String(steps), '--every', String(every)], { encoding: 'utf8' });
  return out.trim().split('\n').map((line) => {
    const report = JSON.parse(line);
    delete report.batch_losses;
    return report;
  });
}

// An experiment's default lanes, on the blobs set (2 inputs, 3 classes) instead of the digits.
function lanesOf(id, changes = {}) {
  const experiment = experiments[id];
  return experiment.lanes(withDefaults(experiment, changes)).map((lane) => {
    const { sizes, data } = lane.config;
    const onBlobs = data.kind === 'external' ? { sizes: [2, ...sizes.slice(1, -1).map(() => 16), 3], data: blobs, test_examples: 200 } : {};
    return { ...lane, config: { ...lane.config, ...onBlobs } };
  });
}

function nativeSummary(request) {
  const run = spawnSync(cli, ['summarise'], { input: JSON.stringify(request), encoding: 'utf8' });
  return { status: run.status, answer: JSON.parse(run.stdout) };
}

let modulePromise = null;
const wasmModule = () => (modulePromise ||= require(wasm)());

async function wasmSummary(request) {
  return JSON.parse((await wasmModule()).runSummary(JSON.stringify(request)));
}

async function assertSame(request) {
  const native = nativeSummary(request);
  assert.equal(native.status, 0, JSON.stringify(native.answer));
  assert.deepEqual(await wasmSummary(request), native.answer);
  return native.answer;
}

test('fig1: native and WebAssembly summarise the same real run to the same drifts and accuracies', async () => {
  const lanes = lanesOf('fig1').map((lane) => ({ config: lane.config, reports: train(lane.config, 300, 50) }));
  const summary = await assertSame({ experiment: 'fig1', lanes });
  for (const side of ['with_bn', 'without_bn']) assert.ok(summary[side].span_drift > 0, `${side}: the watched input's span moved over 300 steps`);
  assert.ok(summary.with_bn.final_accuracy > 0.34, 'with BN: better than chance on 3 blobs');
});

test('lr-sweep: the same largest stable rate, including rates where a net diverges', async () => {
  // The lab's sweep, and a ReLU net at a rate of 1000, which diverges with and without BN.
  const relu = { sizes: [2, 16, 16, 16, 3], activation: 'relu', init_scale: 1, learning_rate: 1000, data: blobs };
  const diverging = [{ config: { ...relu, batchnorm: 'none' } }, { config: { ...relu, batchnorm: 'before' } }];
  const lanes = [...lanesOf('lr-sweep'), ...diverging].map((lane) => {
    const reports = train(lane.config, 100, 100);
    return { config: lane.config, reports: reports.slice(-1) };  // a sweep point is its lane's last report
  });
  assert.ok(lanes.slice(-2).every((lane) => lane.reports[0].diverged), 'the ReLU nets at 1000 diverged');
  const summary = await assertSame({ experiment: 'lr-sweep', lanes });
  assert.ok(summary.max_stable_lr.with_bn > 0, JSON.stringify(summary));
});

test('bias-blowup and depth: the lab\'s own lanes, shortened, summarise alike', async () => {
  for (const id of ['bias-blowup', 'depth']) {
    const lanes = lanesOf(id).map((lane) => ({ config: lane.config, reports: train(lane.config, 100, 50) }));
    const summary = await assertSame({ experiment: id, lanes });
    assert.equal(summary.experiment, id);
  }
});

test('landscape: probes made by the module summarise alike', async () => {
  const module = await wasmModule();
  const lanes = [];
  for (const lane of lanesOf('landscape')) {
    const lab = new module.TrainingLab();
    try {
      assert.equal(JSON.parse(lab.configure(JSON.stringify(lane.config))).error, undefined);
      const reports = [], probes = [];
      for (let chunk = 0; chunk < 3; chunk++) {
        reports.push(JSON.parse(lab.step(25)));
        probes.push(JSON.parse(lab.probe(JSON.stringify({ etas: [0.05, 0.4, 3.2] }))));
      }
      lanes.push({ config: lane.config, reports, probes });
    } finally {
      lab.delete();
    }
  }
  const summary = await assertSame({ experiment: 'landscape', lanes });
  assert.equal(summary.steps, 75);
  assert.equal(summary.with_bn.probes, 3);
  assert.ok(summary.without_bn.loss_range_width > 0);
});

test('a record neither can use gets the same error, naming the field', async () => {
  const config = lanesOf('fig1')[0].config;
  for (const request of [
    { experiment: 'fig9', lanes: [] },
    { experiment: 'fig1', lanes: [{ config, reports: [] }] },
    { experiment: 'fig1', lanes: [{ config: { ...config, batch_size: 0 }, reports: [] }] },
    { experiment: 'fig1', lanes: [{ config, reports: 'none' }] },
  ]) {
    const native = nativeSummary(request);
    assert.equal(native.status, 1);
    assert.ok(native.answer.error.field, JSON.stringify(native.answer));
    assert.deepEqual(await wasmSummary(request), native.answer);
  }
});
