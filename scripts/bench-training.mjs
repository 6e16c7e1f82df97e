#!/usr/bin/env node
// Steps per second of the Ioffe & Szegedy Fig. 1 configuration (784-100-100-100-10 sigmoid, batch 60,
// MNIST), with and without BN: natively (bnkata_bench_training) and in headless Chromium,
// in a Web Worker started from a Blob URL exactly as the lab starts it. Prints a table with ratios.
// A benchmark, not a test: it asserts nothing; the targets (≥ 600 steps/s in the page, ≥ 0.9× native)
// are printed next to the numbers.
//
//   node scripts/bench-training.mjs [--steps N] [--repeats R]
//
// Needs: dist/ built (node scripts/build-site.mjs; its mnist.js), the lab's WASM module
// (build/wasm/bnkata-training.js or $BNKATA_WASM_DIR/bnkata-training.js — the text build-lab.mjs inlines
// into the lab's worker), the native bench (build/native/bnkata_bench_training or env BNKATA_BENCH; one
// that knows --batchnorm),
// Chromium (/usr/bin/chromium or env BNKATA_CHROMIUM).
// Each measurement times `steps` training steps of one network (in the page: calls of step(50), as the
// lab makes them, after a warm-up of 1,000 steps (and 2 s in the page, for V8's optimising tier); each call
// also measures 100 test examples). The two sides take turns: in each of `repeats` rounds, each network is
// timed natively and in the page back to back (which side goes first alternates from round to round), so
// a drift in the machine's speed falls on both sides alike instead of on whichever ran second. The table gives the best of the rounds on each side (the least disturbed run)
// and their ratio; below it, each round's own ratios and their median. "(per CPU s)": steps per second of
// the CPU time the timing thread got (natively the process's clock(); in the page the worker thread's
// time on a CPU, from /proc/…/schedstat, Linux only). Where it matches the elapsed-time rate, the thread
// was not kept waiting for a core, and what scatters between rounds is the machine's speed itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { inflateAsset } from './build-mnist.mjs';
import { startServer } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const STEPS = option('--steps', 2000), REPEATS = option('--repeats', 3);
const MODES = ['none', 'before'];  // the networks: without BN, with BN before the sigmoid
const dist = path.resolve(root, process.env.BNKATA_DIST_DIR || 'dist');
const nativeBench = process.env.BNKATA_BENCH || path.join(root, 'build', 'native', 'bnkata_bench_training');
const trainingModule = path.join(path.resolve(root, process.env.BNKATA_WASM_DIR || 'build/wasm'), 'bnkata-training.js');

const CONFIG = {
  seed: 1, sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', init_scale: 0.1, learning_rate: 0.5,
  batch_size: 60, test_examples: 100, data: { kind: 'external' },
};

function requireFile(file, how) {
  if (!existsSync(file)) { console.error(`bench-training: ${path.relative(root, file)} not found — ${how}`); process.exit(2); }
}

// --- native ---------------------------------------------------------------------------------------
// One measurement of one network: { rate, cpu } in steps per second (of elapsed time, of CPU time).
function measureNative(mnistFile, batchnorm) {
  requireFile(nativeBench, 'build it: cmake --build --preset native --target bnkata_bench_training');
  const out = execFileSync(nativeBench, ['--mnist', mnistFile, '--steps', String(STEPS), '--repeats', '1', '--batchnorm', batchnorm, '--json'],
    { encoding: 'utf8' });
  const [run] = JSON.parse(out.trim()).runs;  // one JSON document; its one run gives steps_per_second
  return { rate: run.steps_per_second, cpu: run.steps_per_cpu_second };
}

// --- Chromium: a Blob-URL worker running the engine, as the lab does -------------------------------
// Two messages per measurement, so that the bench can read the worker thread's CPU time right before and
// right after the timed steps: 'warm' (a fresh lab, configured, data set, warmed up) and 'time'.
const BENCH_WORKER = `
let module, images, labels, mnist, lab;
self.onmessage = async (event) => {
  const { action, config, steps, batchnorm } = event.data;
  if (!module) {
    mnist = event.data.mnist;
    module = await createBnKataTraining();
    const binary = atob(mnist.deflated);
    const packed = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) packed[i] = binary.charCodeAt(i);
    const all = new Uint8Array(await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer());
    images = all.subarray(0, mnist.count * 784);
    labels = all.subarray(mnist.count * 784);
  }
  const px = 784;
  if (action === 'warm') {
    lab = new module.TrainingLab();
    lab.configure(JSON.stringify({ ...config, batchnorm }));
    lab.setData('train', images.subarray(0, mnist.train * px), labels.subarray(0, mnist.train));
    lab.setData('test', images.subarray(mnist.train * px), labels.subarray(mnist.train));
    // As the lab calls it: chunks of 50 steps. Warm-up: 1,000 steps and at least 2 s. V8 first runs
    // WASM with its baseline compiler and swaps in optimised code from a background thread, between
    // calls, never inside one; on a busy machine that thread can take a second or more, and a timing
    // started earlier measures the baseline code, which no learner's 16-second run is dominated by.
    const warm = performance.now();
    for (let i = 0; i < 20 || performance.now() - warm < 2000; i++) lab.step(50);
    postMessage('warm');
    return;
  }
  try {
    const t0 = performance.now();
    for (let done = 0; done < steps; done += 50) {
      const out = JSON.parse(lab.step(50));
      if (out.error) throw new Error(JSON.stringify(out.error));
    }
    postMessage(steps / ((performance.now() - t0) / 1000));
  } finally { lab.delete(); }
};`;

// The CPU time (s) of the bench's Web Worker thread, from Linux's /proc: the thread named DedicatedWorker
// in a process descended from ours (the Chromium we launched). Null elsewhere (then the table shows –).
function workerCpuClock(ancestorPid) {
  try {
    const parent = new Map();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try { parent.set(pid, readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]); } catch { /* gone */ }
    }
    const ours = (pid) => { for (let p = pid, hops = 0; p && hops < 8; p = parent.get(p), hops++) if (p === String(ancestorPid)) return true; return false; };
    const threads = [];
    for (const pid of parent.keys()) {
      if (!ours(pid)) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`))
        if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === 'DedicatedWorker') threads.push(`/proc/${pid}/task/${tid}/schedstat`);
    }
    if (threads.length !== 1) return null;
    return () => Number(readFileSync(threads[0], 'utf8').split(' ')[0]) / 1e9;  // ns on a CPU
  } catch { return null; }
}

// The page side: one browser and one worker for the whole run; measure() is one round.
async function startChromium() {
  requireFile(trainingModule, 'build the wasm preset (cmake --build --preset wasm) or set BNKATA_WASM_DIR');
  const server = await startServer({ dir: dist, base: '/', port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.BNKATA_CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(server.url);
  // The lab's own path: the training module's text and the digits, a Blob-URL worker under the page's CSP.
  await page.evaluate(async ({ core, workerCode }) => {
    await new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'mnist.js'; s.onload = resolve; s.onerror = reject;
      document.head.append(s);
    });
    const url = URL.createObjectURL(new Blob([core, '\n;\n', workerCode], { type: 'text/javascript' }));
    window.benchWorker = new Worker(url);
    window.benchAsk = (message) => new Promise((resolve, reject) => {
      window.benchWorker.onmessage = (e) => resolve(e.data);
      window.benchWorker.onerror = (e) => reject(new Error(e.message));
      window.benchWorker.postMessage({ ...message, mnist: window.BNKATA_MNIST });
    });
  }, { core: readFileSync(trainingModule, 'utf8'), workerCode: BENCH_WORKER });
  let cpuClock;
  return {
    // One measurement of one network, as measureNative: { rate, cpu } (cpu per the worker thread's CPU time).
    async measure(batchnorm) {
      await page.evaluate((m) => window.benchAsk(m), { action: 'warm', config: CONFIG, batchnorm });
      if (cpuClock === undefined) cpuClock = workerCpuClock(process.pid);  // our Chromium is our child
      const cpu0 = cpuClock?.();
      const rate = await page.evaluate((m) => window.benchAsk(m), { action: 'time', steps: STEPS });
      return { rate, cpu: cpuClock ? STEPS / (cpuClock() - cpu0) : undefined };
    },
    close: async () => { await browser.close(); await server.close(); },
  };
}

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------------------
async function main() {
  requireFile(path.join(dist, 'mnist.js'), 'run node scripts/build-site.mjs');
  const mnistFile = path.join(root, 'build', 'mnist-10k.u8');
  mkdirSync(path.dirname(mnistFile), { recursive: true });
  writeFileSync(mnistFile, inflateAsset(path.join(dist, 'mnist.js')));

  // rounds[r][mode] = { native, page }, each { rate, cpu }. Within a round each network is timed natively
  // and in the page back to back, the side that goes first alternating from round to round.
  const rounds = [];
  const chromium = await startChromium();
  try {
    for (let r = 0; r < REPEATS; r++) {
      const round = {};
      for (const mode of MODES) {
        const pair = {};
        for (const side of r % 2 ? ['page', 'native'] : ['native', 'page'])
          pair[side] = side === 'native' ? measureNative(mnistFile, mode) : await chromium.measure(mode);
        round[mode] = pair;
      }
      rounds.push(round);
    }
  } finally {
    await chromium.close();
  }
  // The best round of each side, per network: { rate: { none, before }, cpu: { none, before } }.
  const best = (side, what) => Object.fromEntries(MODES.map((mode) => [mode, Math.max(...rounds.map((round) => round[mode][side][what] || 0)) || undefined]));
  const native = { rate: best('native', 'rate'), cpu: best('native', 'cpu') };
  const page = { rate: best('page', 'rate'), cpu: best('page', 'cpu') };
  const perCpu = (side, mode) => (side.cpu[mode] ? side.cpu[mode].toFixed(0) : '–');
  const rows = [['configuration', 'native steps/s', '(per CPU s)', 'Chromium worker steps/s', '(per CPU s)', 'page / native', '(per CPU s)', 'targets']];
  for (const [mode, label] of [['none', 'Fig. 1 net, without BN'], ['before', 'Fig. 1 net, with BN (before sigmoid)']]) {
    const n = native.rate[mode], p = page.rate[mode];
    const ok = p >= 600 && p >= 0.9 * n;
    rows.push([label, n.toFixed(0), perCpu(native, mode), p.toFixed(0), perCpu(page, mode), `${(p / n).toFixed(2)}×`,
      native.cpu[mode] && page.cpu[mode] ? `${(page.cpu[mode] / native.cpu[mode]).toFixed(2)}×` : '–',
      `${p >= 600 ? '≥' : '<'} 600/s, ${p >= 0.9 * n ? '≥' : '<'} 0.9× ${ok ? '(met)' : '(NOT met)'}`]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`Ioffe Fig. 1 configuration, batch 60, MNIST; best of ${REPEATS} rounds × ${STEPS} steps, one network at a time; ` +
    `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (wall-clock numbers need an idle machine)`);
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const [mode, label] of [['none', 'without BN'], ['before', 'with BN']]) {
    const pairs = rounds.map((round) => round[mode]);
    const ratios = pairs.map(({ native: n, page: p }) => p.rate / n.rate);
    const cpuRatios = pairs.map(({ native: n, page: p }) => p.cpu / n.cpu).filter(Number.isFinite);
    console.log(`rounds, ${label}: page / native ${ratios.map((q) => `${q.toFixed(2)}×`).join(' ')} — median ${median(ratios).toFixed(2)}× ` +
      `(native ${pairs.map((pair) => pair.native.rate.toFixed(0)).join(' ')}; page ${pairs.map((pair) => pair.page.rate.toFixed(0)).join(' ')} steps/s)` +
      (cpuRatios.length ? `; per CPU s ${cpuRatios.map((q) => `${q.toFixed(2)}×`).join(' ')} — median ${median(cpuRatios).toFixed(2)}×` : ''));
  }
}

main().catch((error) => { console.error(`bench-training: ${error.message}`); process.exit(1); });
