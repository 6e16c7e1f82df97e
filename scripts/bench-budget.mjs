#!/usr/bin/env node
// How long the costliest calls the work budget allows take (docs/reliability.md, "Limits"), natively and in
// WebAssembly (Node), as a ratio to the budget's intent: no call holds a lab worker for more than about a
// second. The budget counts multiply-adds (training/config.hpp); this measures what they cost in time.
//   node scripts/bench-budget.mjs        (needs build/native/bnkata and build/wasm/bnkata-training.js)
// Each case configures a lab, asks it for more than it allows, and makes the largest call its refusal
// names ("at most N steps per call", "at most N step sizes"), so the calls are the budget's own edges.
// Times are CPU seconds, what the call would take on a core of its own (the machine may be shared; the
// wall-clock seconds are printed too): WebAssembly's of the call alone (Node's process CPU time around
// it), native ones of a whole `bnkata train CONFIG --steps K --every K` process (configuring, the call,
// printing its report), an upper bound on the call.
// A benchmark, not a test: it prints numbers and asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { nativeCli, wasmDir } from '../tests/node/lib/wasm-core.mjs';

const require = createRequire(import.meta.url);
const INTENT_SECONDS = 1;
const synthetic = (train, test) => ({ kind: 'blobs', train, test });
// sigmoid hidden layers: dense activations, so the matmuls skip no zeros.
const CASES = [
  ['one step at the step budget (4 M weights, batch 80)',
    { sizes: [2, 1995, 1995, 2], batch_size: 80, test_examples: 1, data: synthetic(80, 1) }, 'step'],
  ['step(k) at the call budget, same network',
    { sizes: [2, 1995, 1995, 2], batch_size: 80, test_examples: 1, data: synthetic(80, 1) }, 'steps'],
  ['an evaluation at its budget (125 of 4 M weights) after one step',
    { sizes: [2, 1995, 1995, 2], batch_size: 2, test_examples: 125, data: synthetic(100, 125) }, 'step'],
  ['step(k) at the call budget, many cheap steps (31 BN layers of 1, batch 4096)',
    { sizes: [2, ...Array(31).fill(1), 2], batchnorm: 'before', batch_size: 4096, test_examples: 1000,
      data: synthetic(4096, 1000) }, 'steps'],
  ['step(k) at the call budget, 31 BN layers of 45, batch 2048',
    { sizes: [2, ...Array(31).fill(45), 2], batchnorm: 'before', batch_size: 2048, test_examples: 1000,
      data: synthetic(2048, 1000) }, 'steps'],
  ['a probe at the call budget (4 M weights, batch 80)',
    { sizes: [2, 1995, 1995, 2], batch_size: 80, test_examples: 1, data: synthetic(80, 1) }, 'probe'],
];

const answer = (text) => {
  const r = JSON.parse(text);
  if (r.error && !/at most \d+/.test(r.error.message)) throw new Error(`${r.error.field}: ${r.error.message}`);
  return r;
};
// The largest call the lab allows for this config: k for step(k), the number of etas for a probe.
function largestCall(lab, kind) {
  if (kind === 'step') return 1;
  const refusal = kind === 'steps' ? answer(lab.step(100000)) : answer(lab.probe(JSON.stringify({ etas: Array(64).fill(0.01) })));
  if (!refusal.error) return kind === 'steps' ? 100000 : 64;
  return Number(/at most (\d+)/.exec(refusal.error.message)[1]);
}

function nativeSeconds(config, k) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bnkata-budget-'));
  try {
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    const run = spawnSync('/usr/bin/time', ['-f', '%U %S %e', nativeCli, 'train', file, '--steps', String(k), '--every', String(k)],
      { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`bnkata train: ${run.stdout}${run.stderr}`);
    const [user, system, wall] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return { cpu: user + system, wall };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const training = await require(path.join(wasmDir, 'bnkata-training.js'))();
console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (${os.cpus().length} cores)`);
console.log('| Call | Multiply-adds | WASM CPU s (wall) | WASM / 1 s | Native process CPU s (wall) | Native / 1 s |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [what, config, kind] of CASES) {
  const lab = new training.TrainingLab();
  try {
    answer(lab.configure(JSON.stringify(config)));
    const n = largestCall(lab, kind);
    const weights = config.sizes.slice(1).reduce((sum, size, i) => sum + size * config.sizes[i], 0);
    const units = config.sizes.reduce((sum, size) => sum + size, 0);
    const stepWork = config.batch_size * (3 * weights + 100 * units), evaluationWork = config.test_examples * weights;
    const work = kind === 'probe' ? (n + 1) * stepWork : n * stepWork + evaluationWork;
    const start = performance.now(), cpuStart = process.cpuUsage();
    answer(kind === 'probe' ? lab.probe(JSON.stringify({ etas: Array(n).fill(0.01) })) : lab.step(n));
    const cpu = process.cpuUsage(cpuStart);
    const wasm = { cpu: (cpu.user + cpu.system) / 1e6, wall: (performance.now() - start) / 1000 };
    // The native CLI has no probe: it gets the same work as steps.
    const native = nativeSeconds(config, kind === 'probe' ? n + 1 : n);
    const call = kind === 'probe' ? `probe of ${n} step sizes` : `step(${n})`;
    console.log(`| ${what}: ${call} | ${(work / 1e9).toFixed(2)} billion | ${wasm.cpu.toFixed(2)} (${wasm.wall.toFixed(1)}) | ` +
      `${(wasm.cpu / INTENT_SECONDS).toFixed(1)}× | ${native.cpu.toFixed(2)} (${native.wall.toFixed(1)}) | ${(native.cpu / INTENT_SECONDS).toFixed(1)}× |`);
  } finally {
    lab.delete();
  }
}
console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
