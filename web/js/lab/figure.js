// The "training-lab" figure as the main bundle sees it: a small stub. The lab itself (uPlot, the views
// and the worker's script) lives in dist/lab.js, loaded with a classic
// <script> the first time the figure mounts — so the main bundle stays small and file:// works.
import { loadScript } from '../ui/load-script.js';

export function mount(root, ctx) {
  let lab = null, destroyed = false;
  const waiting = document.createElement('p');
  waiting.className = 'lab-loading';
  waiting.textContent = 'Loading the training lab…';
  root.replaceChildren(waiting);
  loadScript('lab.js', () => Boolean(window.BnKataLab && window.BnKataLab.mount)).then(() => {
    if (!destroyed) lab = window.BnKataLab.mount(root, ctx);
  }, (error) => {
    waiting.textContent = `The training lab could not be loaded: ${error.message}.`;
  });
  return {
    update(...args) { if (lab) lab.update(...args); },
    destroy() { destroyed = true; if (lab) lab.destroy(); },
  };
}
