// Entry point of dist/lab.js, the lab's on-demand bundle (a classic script, so it loads from file://).
// It defines window.BnKataLab.mount, which figure.js calls once this script has run.
//
// The worker's source text is the WASM module followed by worker.js (inlined at build time as the virtual
// module 'bnkata:lab-worker-script', scripts/build-lab.mjs). The module is the one the page has already
// loaded: bnkata-core.js defines createBnKata, a function whose source text is the whole module (wasm
// included, SINGLE_FILE) with one free variable, _scriptDir — so no second copy ships in lab.js.
import workerScript from 'bnkata:lab-worker-script';
import { mountLab } from './lab-view.js';

function workerSource() {
  const factory = globalThis.createBnKata;
  if (typeof factory !== 'function') throw new Error('the BatchNorm core (bnkata-core.js) is not loaded');
  return `var _scriptDir = undefined;\nvar createBnKata = (${factory.toString()});\n;\n${workerScript}`;
}

const api = (window.BnKataLab = window.BnKataLab || {});
api.mount = (root, ctx) => mountLab(root, { ...ctx, workerSource });
