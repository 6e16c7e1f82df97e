// Entry point of dist/lab.js, the lab's on-demand bundle (a classic script, so it loads from file://).
// It defines window.BnKataLab.mount, which figure.js calls once this script has run. The worker's source
// text — the WASM module followed by worker.js — is inlined at build time (scripts/build-lab.mjs) as the
// virtual module 'bnkata:lab-worker-source'.
import workerSource from 'bnkata:lab-worker-source';
import { mountLab } from './lab-view.js';

const api = (window.BnKataLab = window.BnKataLab || {});
api.mount = (root, ctx) => mountLab(root, { ...ctx, workerSource });
