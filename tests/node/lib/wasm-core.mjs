// wasm-core.mjs — the WASM build and the native CLI, as the Node tests reach them.
//   BNKATA_WASM_DIR  folder holding bnkata-core.js and bnkata-exercises.js (default build/wasm)
//   BNKATA_CLI       the native `bnkata` binary (default build/native/bnkata)
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrap } from '../../../web/js/core.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const wasmDir = path.resolve(projectRoot, process.env.BNKATA_WASM_DIR || 'build/wasm');
export const wasmScript = path.join(wasmDir, 'bnkata-core.js');            // the BN ops: the page's first visit
export const exercisesScript = path.join(wasmDir, 'bnkata-exercises.js');  // every op, as `bnkata compute`
export const nativeCli = path.resolve(projectRoot, process.env.BNKATA_CLI || 'build/native/bnkata');

const require = createRequire(import.meta.url);

// A fresh instance of a raw Embind module (compute(string) → string), exactly as Node users load it:
// bnkata-core.js by default, or the script given (e.g. exercisesScript).
export async function loadWasmModule(script = wasmScript) {
  if (!existsSync(script)) throw new Error(`${script} not found: build the wasm preset (or set BNKATA_WASM_DIR)`);
  const factory = require(script);
  return factory();
}

// The exercises' module, which answers every op as `bnkata compute` does.
export const loadExercisesModule = () => loadWasmModule(exercisesScript);

// The page's façade (web/js/core.js) over a fresh module, plus the module itself.
export async function loadFacade() {
  const module = await loadWasmModule();
  return { core: wrap(module), module };
}

// Runs `bnkata compute` with requestText on stdin: { status, response (parsed stdout), stdout, stderr }.
export function runNative(requestText) {
  if (!existsSync(nativeCli)) throw new Error(`${nativeCli} not found: build the native preset (or set BNKATA_CLI)`);
  const run = spawnSync(nativeCli, ['compute'], { input: requestText, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  let response;
  try { response = JSON.parse(run.stdout); } catch { response = undefined; }
  return { status: run.status, signal: run.signal, response, stdout: run.stdout, stderr: run.stderr };
}
