#!/usr/bin/env node
// The BN kernels in WebAssembly against the native build: `bnkata bench` run natively and as WebAssembly
// under Node (build/wasm/bnkata-bench-kernels.js: the same cmd_bench.cpp, the kernels and the triad in one
// module), each judged against its own triad over the same bytes. A benchmark, not a test.
//
//   node scripts/bench-wasm-kernels.mjs [--rounds 3] [--trials 100] [--repeats 5]
//
// Each round runs the native and the WASM bench back to back (the order alternating by round); each bench
// reports, per row, the median of its repetitions (each the best of --trials calls, the kernels and the
// triad taking turns) and the spread of the ratio over them. The table shows each row's median round and
// the lowest and highest repetition over all rounds: a shared machine's speed drifts, and the ratio to a
// triad measured in the same repetition is what compares. Target: WASM float32 256 x 1024 at ≥ 50 % of
// the WASM triad.
//
// A check of the WASM triad itself: V8 runs WebAssembly first as baseline code (Liftoff) and optimises a
// function only after it has run a while, so a timed loop that never left baseline code would give a
// triad of half the speed. The bench warms each loop up first; the script runs it once more with the
// baseline compiler off (node --no-liftoff: everything optimised from the start), and the two triads must
// agree.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.BNKATA_CLI || path.join(root, 'build', 'native', 'bnkata');
const wasm = path.join(path.resolve(root, process.env.BNKATA_WASM_DIR || 'build/wasm'), 'bnkata-bench-kernels.js');
const TARGET = 0.5;

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const rounds = option('--rounds', 3), trials = option('--trials', 100), repeats = option('--repeats', 5);
for (const [file, how] of [[cli, 'cmake --build --preset native'], [wasm, 'cmake --build --preset wasm --target bnkata_bench_kernels_wasm']]) {
  if (!existsSync(file)) { console.error(`bench-wasm-kernels: ${file} not found (${how})`); process.exit(1); }
}

// The table `bnkata bench` prints → rows { version, type, shape, us, gbps, triadUs, triadGbps, ratio, low, high }.
function parse(text) {
  return text.split('\n').filter((line) => /^\| (bnkata|textbook)/.test(line)).map((line) => {
    const c = line.split('|').slice(1, -1).map((s) => s.trim());
    const [low, high] = c[8].replace('%', '').split('-').map((v) => Number(v) / 100);
    return { version: c[0], type: c[1], shape: c[2].replace(/\s+/g, ' '), us: Number(c[3]), gbps: Number(c[4]), triadUs: Number(c[5]), triadGbps: Number(c[6]), ratio: Number(c[7].replace('%', '')) / 100, low, high };
  });
}

const benchArgs = ['--trials', String(trials), '--repeats', String(repeats)];
const run = {
  native: () => parse(execFileSync(cli, ['bench', ...benchArgs], { encoding: 'utf8' })),
  wasm: (...nodeFlags) => parse(execFileSync(process.execPath, [...nodeFlags, wasm, ...benchArgs], { encoding: 'utf8' })),
};
const loads = [os.loadavg()[0]];
const perRound = [];
for (let r = 0; r < rounds; r++) {
  const got = {};
  for (const side of r % 2 ? ['wasm', 'native'] : ['native', 'wasm']) got[side] = run[side]();
  perRound.push(got);
  loads.push(os.loadavg()[0]);
}
const optimisedOnly = run.wasm('--no-liftoff');
loads.push(os.loadavg()[0]);

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
// Per side and row: the round whose ratio is the median, with the lowest and highest repetition of all rounds.
const summary = {};
for (const side of ['native', 'wasm']) {
  summary[side] = perRound[0][side].map((_, i) => {
    const byRatio = perRound.map((g) => g[side][i]).sort((a, b) => a.ratio - b.ratio);
    const mid = byRatio[(byRatio.length - 1) >> 1];
    return { ...mid, low: Math.min(...byRatio.map((x) => x.low)), high: Math.max(...byRatio.map((x) => x.high)) };
  });
}

const pct = (x) => `${(100 * x).toFixed(0)} %`;
console.log(`BN forward+backward vs a triad over the same bytes, native and WebAssembly (Node ${process.versions.node}, V8 ${process.versions.v8})`);
console.log(`node scripts/bench-wasm-kernels.mjs --rounds ${rounds} --trials ${trials} --repeats ${repeats}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ` +
  `${os.cpus().length} CPUs, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n`);
console.log('| build  | version         | type    | N x C      | fwd+bwd us | GB/s | triad GB/s | of triad | lowest–highest |');
console.log('|--------|-----------------|---------|------------|------------|------|------------|----------|----------------|');
for (let i = 0; i < summary.native.length; i++) {
  for (const side of ['native', 'wasm']) {
    const r = summary[side][i];
    console.log(`| ${side.padEnd(6)} | ${r.version.padEnd(15)} | ${r.type.padEnd(7)} | ${r.shape.padEnd(10)} | ${r.us.toFixed(1).padStart(10)} | ${r.gbps.toFixed(1).padStart(4)} | ${r.triadGbps.toFixed(1).padStart(10)} | ${pct(r.ratio).padStart(8)} | ${`${pct(r.low)}–${pct(r.high)}`.padStart(14)} |`);
  }
}
const key = (rows) => rows.find((r) => r.version === 'bnkata' && r.type === 'float32' && r.shape.startsWith('256 x 1024'));
const w = key(summary.wasm);
console.log(`\nper round, WASM float32 256 x 1024 of its triad: ${perRound.map((g) => pct(key(g.wasm).ratio)).join(', ')}` +
  `; native: ${perRound.map((g) => pct(key(g.native).ratio)).join(', ')}`);
const triads = perRound.map((g) => key(g.wasm).triadGbps);
console.log(`WASM triad, float32 256 x 1024, GB/s: ${triads.map((t) => t.toFixed(1)).join(', ')} (by round); ` +
  `with node --no-liftoff: ${key(optimisedOnly).triadGbps.toFixed(1)} (agrees: ${Math.abs(key(optimisedOnly).triadGbps / median(triads) - 1) < 0.25 ? 'yes' : 'NO'})`);
console.log(`target: WASM float32 256 x 1024 at >= ${100 * TARGET} % of the WASM triad: ${pct(w.ratio)} (${w.ratio >= TARGET ? 'met' : 'NOT met'})`);
