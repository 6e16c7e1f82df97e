// Builds the training lab's on-demand files into the site's output folder (called by build-site.mjs):
//
//   lab.js    web/js/lab/lab-entry.js bundled as one minified IIFE (uPlot included), with the Web Worker's
//             script (web/js/lab/worker.js bundled as an IIFE) inlined as a string. The page prepends the
//             WASM module it has already loaded (see checkCoreShape) and starts the worker from a Blob URL
//             of the result, which works from file:// and http (BUILD-NOTES.md).
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

// The worker also needs the WASM module. Rather than a second copy of it (850 KB) in lab.js, the page
// hands the worker the module the page has already loaded: bnkata-core.js defines createBnKata as
//   var createBnKata = (() => { var _scriptDir = …; …; return (function(createBnKata) { … }); })();
// and that inner function's source text is the whole module, wasm included (SINGLE_FILE). Its only free
// variable is _scriptDir. lab-entry.js rebuilds the worker's source from it; this check makes the build
// fail loudly if a new Emscripten ever emits a different shape.
const FACTORY_SHAPE = /^\s*var createBnKata = \(\(\) => \{\s*var _scriptDir = [^\n]*\n\s*if \(typeof __filename !== 'undefined'\) _scriptDir = _scriptDir \|\| __filename;\s*return \(\s*function\(createBnKata\) \{/;

export function checkCoreShape(wasmDir) {
  const corePath = path.join(wasmDir, 'bnkata-core.js');
  if (!existsSync(corePath)) throw new Error(`${corePath} not found: the lab's worker needs the WASM module`);
  const head = readFileSync(corePath, 'utf8').slice(0, 2000);
  if (!FACTORY_SHAPE.test(head)) {
    throw new Error(`${corePath}: createBnKata is not the MODULARIZE wrapper the lab expects ` +
      '(see scripts/build-lab.mjs: the worker is built from the factory\'s source text)');
  }
}

export async function buildLab({ out, wasmDir }) {
  checkCoreShape(wasmDir);
  const workerScript = await bundleText(path.join(labDir, 'worker.js'));
  await esbuild.build({
    entryPoints: [path.join(labDir, 'lab-entry.js')],
    outfile: path.join(out, 'lab.js'),
    bundle: true, format: 'iife', minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning',
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
