#!/usr/bin/env node
// The BN kernels in WebAssembly against the native build: `bnkata bench` run natively and as WebAssembly
// under Node (build/wasm/bnkata-bench-kernels.js: the same cmd_bench.cpp, the kernels and the triad in one
// module), each judged against its own triad over the same bytes. A benchmark, not a test.
//
//   node scripts/bench-wasm-kernels.mjs [--rounds 3] [--trials 200]
//
// Each round runs the native and the WASM bench back to back (the order alternating by round), and the
// table keeps each side's best round: a shared machine's speed drifts, and the ratio to a triad measured
// in the same run is what compares. Target: WASM float32 256 x 1024 at ≥ 50 % of the WASM triad.
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
const rounds = option('--rounds', 3), trials = option('--trials', 200);
for (const [file, how] of [[cli, 'cmake --build --preset native'], [wasm, 'cmake --build --preset wasm --target bnkata_bench_kernels_wasm']]) {
  if (!existsSync(file)) { console.error(`bench-wasm-kernels: ${file} not found (${how})`); process.exit(1); }
}

// The table `bnkata bench` prints → rows { version, type, shape, us, gbps, triadUs, triadGbps, ratio }.
function parse(text) {
  return text.split('\n').filter((line) => /^\| (bnkata|textbook)/.test(line)).map((line) => {
    const c = line.split('|').slice(1, -1).map((s) => s.trim());
    return { version: c[0], type: c[1], shape: c[2].replace(/\s+/g, ' '), us: Number(c[3]), gbps: Number(c[4]), triadUs: Number(c[5]), triadGbps: Number(c[6]), ratio: Number(c[4]) / Number(c[6]) };
  });
}

const run = {
  native: () => parse(execFileSync(cli, ['bench', '--trials', String(trials)], { encoding: 'utf8' })),
  wasm: () => parse(execFileSync(process.execPath, [wasm, '--trials', String(trials)], { encoding: 'utf8' })),
};
const best = { native: null, wasm: null };
const perRound = [];
for (let r = 0; r < rounds; r++) {
  const got = {};
  for (const side of r % 2 ? ['wasm', 'native'] : ['native', 'wasm']) {
    got[side] = run[side]();
    // Per row, the round with the best ratio to its own triad.
    best[side] = best[side] ? best[side].map((row, i) => (got[side][i].ratio > row.ratio ? got[side][i] : row)) : got[side];
  }
  perRound.push(got);
}

console.log(`BN forward+backward vs a triad over the same bytes, native and WebAssembly (Node ${process.versions.node}, V8 ${process.versions.v8})`);
console.log(`node scripts/bench-wasm-kernels.mjs --rounds ${rounds} --trials ${trials}; ${new Date().toISOString().slice(0, 10)}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}\n`);
console.log('| build  | version         | type    | N x C      | fwd+bwd us | GB/s | triad GB/s | of triad |');
console.log('|--------|-----------------|---------|------------|------------|------|------------|----------|');
for (let i = 0; i < best.native.length; i++) {
  for (const side of ['native', 'wasm']) {
    const r = best[side][i];
    console.log(`| ${side.padEnd(6)} | ${r.version.padEnd(15)} | ${r.type.padEnd(7)} | ${r.shape.padEnd(10)} | ${r.us.toFixed(1).padStart(10)} | ${r.gbps.toFixed(1).padStart(4)} | ${r.triadGbps.toFixed(1).padStart(10)} | ${(100 * r.ratio).toFixed(0).padStart(7)}% |`);
  }
}
const key = (rows) => rows.find((r) => r.version === 'bnkata' && r.type === 'float32' && r.shape.startsWith('256 x 1024'));
const w = key(best.wasm);
console.log(`\nper round, WASM float32 256 x 1024 of its triad: ${perRound.map((g) => `${(100 * key(g.wasm).ratio).toFixed(0)} %`).join(', ')}` +
  `; native: ${perRound.map((g) => `${(100 * key(g.native).ratio).toFixed(0)} %`).join(', ')}`);
console.log(`target: WASM float32 256 x 1024 at >= ${100 * TARGET} % of the WASM triad: ${(100 * w.ratio).toFixed(0)} % (${w.ratio >= TARGET ? 'met' : 'NOT met'})`);
