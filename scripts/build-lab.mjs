// Builds the training lab's on-demand files into the site's output folder (called by build-site.mjs):
//
//   lab.js    web/js/lab/lab-entry.js bundled as one minified IIFE (uPlot included), with the Web Worker's
//             source inlined as a string: the WASM module bnkata-core.js (SINGLE_FILE) followed by
//             web/js/lab/worker.js bundled as an IIFE. The page starts the worker from a Blob URL of that
//             string, which works from file:// and http (BUILD-NOTES.md).
//   mnist.js  the 10,000 MNIST digits, packed (scripts/build-mnist.mjs)
//
//   node scripts/build-lab.mjs [--out DIR] [--wasm-dir DIR]    (defaults: dist, build/wasm)
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildMnist } from './build-mnist.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const labDir = path.join(root, 'web', 'js', 'lab');

async function bundleText(entry) {
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, format: 'iife', minify: true, target: 'es2020',
    legalComments: 'none', logLevel: 'warning', write: false,
  });
  return result.outputFiles[0].text;
}

/** The worker's complete source: the WASM module, then the worker script. */
export async function workerSource(wasmDir) {
  const corePath = path.join(wasmDir, 'bnkata-core.js');
  if (!existsSync(corePath)) throw new Error(`${corePath} not found: the lab's worker needs the WASM module`);
  const core = readFileSync(corePath, 'utf8');
  const worker = await bundleText(path.join(labDir, 'worker.js'));
  return `${core}\n;\n${worker}`;
}

export async function buildLab({ out, wasmDir }) {
  const source = await workerSource(wasmDir);
  await esbuild.build({
    entryPoints: [path.join(labDir, 'lab-entry.js')],
    outfile: path.join(out, 'lab.js'),
    bundle: true, format: 'iife', minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning',
    plugins: [{
      name: 'lab-worker-source',
      setup(build) {
        build.onResolve({ filter: /^bnkata:lab-worker-source$/ }, () => ({ path: 'worker-source', namespace: 'bnkata' }));
        build.onLoad({ filter: /.*/, namespace: 'bnkata' }, () => ({ contents: `export default ${JSON.stringify(source)};`, loader: 'js' }));
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
