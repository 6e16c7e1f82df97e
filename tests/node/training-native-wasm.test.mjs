// The training engine gives the same numbers natively (`bnkata train`) and in WebAssembly (the
// TrainingLab class of the lab's own module, bnkata-training.js, which the lab's worker runs): after N
// steps from one seed, the same training losses, the same test accuracy and loss, the same watched
// percentiles — bit for bit, as docs/training.md promises
// (own RNG, own exp/log, fixed operation order, no FMA contraction).
//
// The "expected" side of every comparison is the other build, so a platform-dependent result (an
// std:: distribution, a libm exp, a reassociated reduction) fails here.
//
// Paths: the CLI is build/native/bnkata or env BNKATA_CLI; the module is build/wasm/bnkata-training.js or
// $BNKATA_WASM_DIR/bnkata-training.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCache, inflateAsset } from '../../scripts/build-mnist.mjs';
import { experiments, withDefaults } from '../../web/js/lab/experiments.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.BNKATA_CLI || path.join(root, 'build', 'native', 'bnkata');
const wasm = path.join(path.resolve(root, process.env.BNKATA_WASM_DIR || 'build/wasm'), 'bnkata-training.js');
const require = createRequire(import.meta.url);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bnkata-training-'));

let mnistFile = null;
function mnistBytes() {
  if (!mnistFile) {
    mnistFile = path.join(tmp, 'mnist-10k.u8');
    writeFileSync(mnistFile, inflateAsset(ensureCache()));
  }
  return mnistFile;
}

// The last JSON line `bnkata train` prints after `steps` steps.
function native(config, steps, { mnist = false } = {}) {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const args = ['train', file, '--steps', String(steps), '--every', String(steps)];
  if (mnist) args.push('--mnist', mnistBytes());
  const lines = execFileSync(cli, args, { encoding: 'utf8' }).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

let modulePromise = null;
function wasmModule() {
  if (!modulePromise) modulePromise = require(wasm)();
  return modulePromise;
}

// The same run in WASM, the way the worker does it: configure, setData (MNIST), step(steps).
async function inWasm(config, steps, { mnist = false } = {}) {
  const module = await wasmModule();
  const lab = new module.TrainingLab();
  try {
    const configured = JSON.parse(lab.configure(JSON.stringify(config)));
    assert.equal(configured.error, undefined, JSON.stringify(configured));
    if (mnist) {
      const bytes = new Uint8Array(inflateAsset(ensureCache()));
      const count = 10000, train = 8000, pixels = 784;
      const images = bytes.subarray(0, count * pixels), labels = bytes.subarray(count * pixels);
      assert.equal(JSON.parse(lab.setData('train', images.subarray(0, train * pixels), labels.subarray(0, train))).examples, train);
      assert.equal(JSON.parse(lab.setData('test', images.subarray(train * pixels), labels.subarray(train))).examples, count - train);
    }
    return JSON.parse(lab.step(steps));
  } finally {
    lab.delete();
  }
}

function assertSameRun(a, b, label) {
  assert.equal(a.error, undefined, `${label}: native run failed: ${JSON.stringify(a.error)}`);
  assert.equal(b.error, undefined, `${label}: wasm run failed: ${JSON.stringify(b.error)}`);
  assert.equal(b.step, a.step, `${label}: steps`);
  assert.equal(b.loss, a.loss, `${label}: mean training loss over the last chunk`);
  assert.deepEqual(b.batch_losses, a.batch_losses, `${label}: every batch's loss`);
  assert.equal(b.test.accuracy, a.test.accuracy, `${label}: test accuracy`);
  assert.equal(b.test.loss, a.test.loss, `${label}: test loss`);
  assert.deepEqual(b.monitor, a.monitor, `${label}: watched unit's percentiles`);
  assert.deepEqual(b.test.batch_statistics, a.test.batch_statistics, `${label}: test accuracy with batch statistics`);
}


const missing = `needs ${path.relative(root, cli)} and ${path.relative(root, wasm)} (build the native and wasm presets first)`;

test('the training engine is built natively and to WebAssembly', () => {
  assert.ok(existsSync(cli), `${cli} not found: ${missing}`);
  assert.ok(existsSync(wasm), `${wasm} not found: ${missing}`);
});

test('a spiral run gives the same losses natively and in WASM, with and without BN', async () => {
  for (const batchnorm of ['none', 'before', 'after']) {
    const config = {
      seed: 7, sizes: [2, 32, 32, 3], activation: 'tanh', batchnorm, init_scale: 1, init_mode: 'fan_in',
      learning_rate: 0.2, batch_size: 32, data: { kind: 'spiral', train: 600, test: 300, noise: 0.1 },
    };
    assertSameRun(native(config, 300), await inWasm(config, 300), `spiral, batchnorm ${batchnorm}`);
  }
});

test('the Ioffe Fig. 1 network on MNIST gives the same losses natively and in WASM', async () => {
  for (const batchnorm of ['none', 'before']) {
    const config = {
      seed: 1, sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', batchnorm, init_scale: 0.1,
      learning_rate: 0.5, batch_size: 60, test_examples: 2000, data: { kind: 'external' },
    };
    assertSameRun(native(config, 200, { mnist: true }), await inWasm(config, 200, { mnist: true }), `MNIST, batchnorm ${batchnorm}`);
  }
});

test('Ioffe §2 (no gradient through the batch statistics) also matches natively and in WASM', async () => {
  const config = {
    seed: 3, sizes: [2, 16, 16, 2], activation: 'relu', batchnorm: 'before', bn_grad_through_stats: false,
    learning_rate: 0.1, batch_size: 20, data: { kind: 'circles', train: 400, test: 200, noise: 0.05 },
  };
  assertSameRun(native(config, 150), await inWasm(config, 150), 'circles, Ioffe §2');
  // The lab's bias blow-up experiment: only the biases before BN train, on one full batch.
  const onlyBias = {
    seed: 1, sizes: [2, 16, 16, 3], activation: 'sigmoid', batchnorm: 'before', bn_grad_through_stats: false,
    trainable: 'bias_before_bn', learning_rate: 0.5, batch_size: 60, data: { kind: 'blobs', train: 60, test: 60 },
  };
  assertSameRun(native(onlyBias, 300), await inWasm(onlyBias, 300), 'blobs, only the bias before BN trains');
});

test('layer and group norm layers, before and after the nonlinearity, give the same losses natively and in WASM', async () => {
  for (const norm of [{ norm: 'layer' }, { norm: 'group', norm_groups: 4 }])
    for (const batchnorm of ['before', 'after']) {
      const config = {
        seed: 5, sizes: [2, 32, 32, 3], activation: 'relu', batchnorm, ...norm, init_scale: 1.4, init_mode: 'fan_in',
        learning_rate: 0.1, batch_size: 8, test_batch_statistics: true, data: { kind: 'spiral', train: 600, test: 300, noise: 0.1 },
      };
      assertSameRun(native(config, 300), await inWasm(config, 300), `spiral, ${norm.norm} norm ${batchnorm}`);
    }
});

test('the lab\'s small-batch lanes at batch 2 (BN, GroupNorm, LayerNorm) on MNIST match natively and in WASM', async () => {
  const experiment = experiments['small-batch'];
  for (const lane of experiment.lanes(withDefaults(experiment)).filter((l) => l.x === 2)) {
    const config = { ...lane.config, test_examples: 500 };
    assertSameRun(native(config, 200, { mnist: true }), await inWasm(config, 200, { mnist: true }), lane.label);
  }
});
