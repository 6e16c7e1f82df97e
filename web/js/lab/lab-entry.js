// Entry point of dist/lab.js, the lab's on-demand bundle (a classic script, so it loads from file://).
// It defines window.BnKataLab.mount, which figure.js calls once this script has run.
//
// The worker's source text is inlined at build time as the virtual module 'bnkata:lab-worker-script'
// (scripts/build-lab.mjs): the lab's own WebAssembly module, bnkata-training.js (wasm included,
// SINGLE_FILE), followed by worker.js. The worker is independent of the page's module.
import workerScript from 'bnkata:lab-worker-script';
import { mountLab } from './lab-view.js';

const workerSource = () => workerScript;

const api = (window.BnKataLab = window.BnKataLab || {});
api.mount = (root, ctx) => mountLab(root, { ...ctx, workerSource });
