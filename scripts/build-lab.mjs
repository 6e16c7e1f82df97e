// Builds the training lab's on-demand files into the site's output folder (called by build-site.mjs):
//
//   lab.js    web/js/lab/lab-entry.js bundled as one minified IIFE (uPlot included), with the Web Worker's
//             whole script inlined as a string: the training module bnkata-training.js (from --wasm-dir),
//             then web/js/lab/worker.js bundled as an IIFE. The page starts the worker from a Blob URL of
//             that string, which works from file:// and http (docs/toolchain.md).
//   mnist.js  the 10,000 MNIST digits, packed (scripts/build-mnist.mjs)
//
//   node scripts/build-lab.mjs [--out DIR] [--wasm-dir DIR]    (defaults: dist, build/wasm)
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildMnist } from './build-mnist.mjs';
import { SCRIPT_BUNDLE } from './esbuild-options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const labDir = path.join(root, 'web', 'js', 'lab');

async function bundleText(entry) {
  const result = await esbuild.build({
    entryPoints: [entry], ...SCRIPT_BUNDLE, write: false,
  });
  return result.outputFiles[0].text;
}

// The worker also needs the training engine: the lab's own WebAssembly module, bnkata-training.js
// (cpp/wasm.cmake, SINGLE_FILE + MODULARIZE: one classic script, wasm inlined). Its text goes into
// the worker's script ahead of worker.js, so the worker needs no second request (file:// works) and does
// not depend on the page's module. The module's script declares `var createBnKataTraining = (() => …)();`;
// this check makes the build fail loudly if it is missing or a new Emscripten emits something else.
const TRAINING_MODULE = 'bnkata-training.js';
const FACTORY_SHAPE = /^\s*var createBnKataTraining = \(\(\) => \{/;

export function readTrainingModule(wasmDir) {
  const modulePath = path.join(wasmDir, TRAINING_MODULE);
  if (!existsSync(modulePath)) {
    throw new Error(`${modulePath} not found: the lab's worker needs the training module ` +
      '(cmake --preset wasm && cmake --build --preset wasm builds it next to bnkata-core.js)');
  }
  const text = readFileSync(modulePath, 'utf8');
  if (!FACTORY_SHAPE.test(text.slice(0, 200))) {
    throw new Error(`${modulePath}: does not start with the MODULARIZE wrapper defining createBnKataTraining ` +
      '(see cpp/wasm.cmake and scripts/build-lab.mjs)');
  }
  return text;
}

export async function buildLab({ out, wasmDir }) {
  const trainingModule = readTrainingModule(wasmDir);
  // The worker's whole source: the module (defines createBnKataTraining), then worker.js as an IIFE.
  const workerScript = `${trainingModule}\n;\n${await bundleText(path.join(labDir, 'worker.js'))}`;
  await esbuild.build({
    entryPoints: [path.join(labDir, 'lab-entry.js')],
    outfile: path.join(out, 'lab.js'),
    ...SCRIPT_BUNDLE,
    plugins: [{
      name: 'lab-worker-script',
      setup(build) {
        build.onResolve({ filter: /^bnkata:lab-worker-script$/ }, () => ({ path: 'worker-script', namespace: 'bnkata' }));
        build.onLoad({ filter: /.*/, namespace: 'bnkata' }, () => ({ contents: `export default ${JSON.stringify(workerScript)};`, loader: 'js' }));
      },
    }],
  });
  const mnist = buildMnist(out);
  return { lab: path.join(out, 'lab.js'), mnist };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
  const out = path.resolve(root, option('--out', 'dist'));
  const wasmDir = path.resolve(root, option('--wasm-dir', process.env.BNKATA_WASM_DIR || 'build/wasm'));
  const files = await buildLab({ out, wasmDir });
  for (const file of Object.values(files)) console.log(`build-lab: ${path.relative(root, file)} (${(statSync(file).size / 1024).toFixed(0)} KiB)`);
}
