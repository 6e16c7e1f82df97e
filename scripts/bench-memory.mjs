#!/usr/bin/env node
// What a request of many small values costs in memory, per byte of its text: natively (peak resident
// memory of `bnkata compute`, by GNU time) and in WebAssembly (how much a fresh bnkata-core.js module's
// memory grows while it answers). The requests are tests/node/lib/heavy-requests.mjs: the worst shapes the
// JSON interface allows, and two ordinary requests at the tensor limit for comparison.
//   node scripts/bench-memory.mjs            (needs build/native/bnkata and build/wasm/bnkata-core.js)
//   BNKATA_CLI=… BNKATA_WASM_DIR=… node scripts/bench-memory.mjs   to measure another build
// Native "over idle" subtracts what answering a 30-byte request takes (the program itself); the ratio is
// that over the request's size. WebAssembly memory only grows (in 64 KiB pages, by at least a fifth of
// its size at a time), so each request gets a fresh module; its ratio is the growth over the size.
import { spawnSync } from 'node:child_process';
import { loadWasmModule, nativeCli } from '../tests/node/lib/wasm-core.mjs';
import { HEAVY_REQUESTS } from '../tests/node/lib/heavy-requests.mjs';

const MB = 1 << 20;
function nativePeakBytes(text) {
  const run = spawnSync('/usr/bin/time', ['-f', '%M', nativeCli, 'compute'], { input: text, maxBuffer: 256 * MB });
  if (run.error) throw run.error;
  const lines = run.stderr.toString().trim().split('\n');
  return { peak: Number(lines.at(-1)) * 1024, answer: run.stdout.toString().slice(0, 160) };
}
async function wasmGrowthBytes(text) {
  const module = await loadWasmModule();
  const before = module.HEAP8.buffer.byteLength;
  const answer = module.compute(text);
  return { growth: module.HEAP8.buffer.byteLength - before, answer: answer.slice(0, 160) };
}
const summary = (answer) => {
  const error = /"error":\{"field":"([^"]*)","message":"(.{0,40})/.exec(answer);
  return error ? `refused: ${error[1]}: ${error[2]}…` : 'answered';
};

const idle = nativePeakBytes('{"op":"forward_train","x":[1,2]}').peak;
console.log(`native: ${nativeCli}; idle peak ${(idle / MB).toFixed(1)} MiB`);
console.log('| Request | Size (MiB) | Native peak (MiB) | Native over idle / size | WASM growth (MiB) | WASM growth / size | Answer |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const [what, text] of HEAVY_REQUESTS) {
  const { peak, answer } = nativePeakBytes(text);
  const { growth } = await wasmGrowthBytes(text);
  const size = Buffer.byteLength(text);
  console.log(`| ${what} | ${(size / MB).toFixed(1)} | ${(peak / MB).toFixed(0)} | ${((peak - idle) / size).toFixed(1)} | ` +
    `${(growth / MB).toFixed(0)} | ${(growth / size).toFixed(1)} | ${summary(answer)} |`);
}
