// The "training-lab" figure as the main bundle sees it: a small stub. The lab itself (uPlot, the views
// and the worker's script) lives in dist/lab.js, loaded with a classic
// <script> the first time the figure mounts — so the main bundle stays small and file:// works.
import { loadScript } from '../ui/load-script.js';

// A shared link to a lab run (#lab?exp=…, url-state.js) should land on the lab: bring its root into view,
// which also makes main.js mount it. (The browser cannot scroll there itself: no element has that id.)
// Before it mounts the root is empty and not displayed, so scroll to the element just before it (the
// place main.js watches for it).
if (location.hash.startsWith('#lab?')) {
  // Figures above it that mount meanwhile move it down, so keep it in view until it has mounted (a
  // few frames at most; given up after 300).
  const scroll = (frames = 0) => {
    const root = document.querySelector('[data-figure="training-lab"]');
    if (!root || root.dataset.figureState || frames > 300) return;
    let place = root.previousElementSibling;
    while (place && !place.getClientRects().length) place = place.previousElementSibling;
    (place || root.parentElement).scrollIntoView({ block: 'start' });
    requestAnimationFrame(() => scroll(frames + 1));
  };
  // Only once the page is interactive: figures mounting above the lab change the page's height.
  if (document.documentElement.dataset.bnkata === 'ready') scroll();
  else document.addEventListener('bnkata:ready', () => scroll(), { once: true });
}

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
