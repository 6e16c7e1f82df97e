// main.js — the page's entry point, bundled into dist/app.js (web/README.md).
//
// 1. Loads the BatchNorm core (core.js over dist/bnkata-core.js). If it cannot load, the page says so in
//    an alert at the top of the lesson; the text stays readable. Figures get it as ctx.core, and
//    ctx.exerciseEngine(), which loads dist/bnkata-exercises.js the first time a figure asks for it.
// 2. Mounts every [data-figure="NAME"] root with the module registered under NAME in figures.js, when it
//    comes near the viewport or keyboard focus nears it (ui/mount-scheduler.js); a deep link's target
//    mounts at once. The navigator and the progress panel need no core and mount as soon as they are
//    parsed. A figure that fails to mount shows a message in its own root and leaves the others alone.
//    Once a root has been visited it carries data-figure-state="mounted" | "failed" | "unregistered"
//    (tests wait for this, never for time). A figure that needs something loaded first returns a handle
//    with a `ready` promise; its root is data-figure-state="loading" until that settles.
// 3. Declares the page interactive: once the core has loaded and the figures in (or near) the viewport
//    have mounted, <html> gets data-bnkata="ready" and document receives a `bnkata:ready` event.
//    (On failure: data-bnkata="error" and a `bnkata:error` event.) Tests and scripts/bench-page.mjs wait
//    for exactly this. The lesson's text never waits for any of it.
import { loadCore, loadExerciseEngine } from './core.js';
import { loadScript } from './ui/load-script.js';
import { startMountScheduler } from './ui/mount-scheduler.js';
import { fragmentId } from './ui/page-state.js';
import { figures, mountedWithoutCore } from './figures.js';

function figureModule(name) {
  const entry = Object.prototype.hasOwnProperty.call(figures, name) ? figures[name] : undefined;
  if (!entry) return null;
  return typeof entry === 'function' ? entry : entry.mount;
}

// Mounts one root at most once. Returns nothing; a failure is reported in the root itself.
function mountFigure(root, ctx, mounted) {
  if (mounted.has(root)) return;
  const name = root.dataset.figure;
  const mount = figureModule(name);
  mounted.set(root, null);
  if (!mount) {  // not registered (yet): the root stays empty, no placeholder widget
    root.dataset.figureState = 'unregistered';
    return;
  }
  const fail = (error) => {
    root.dataset.figureState = 'failed';
    console.error(`figure "${name}" failed to mount`, error);
    const message = document.createElement('p');
    message.className = 'figure-error';
    message.setAttribute('role', 'alert');
    message.textContent = `This interactive figure (${name}) could not start: ${error && error.message ? error.message : error}`;
    root.replaceChildren(message);
  };
  try {
    const handle = mount(root, ctx) || null;
    mounted.set(root, handle);
    if (handle && handle.ready && typeof handle.ready.then === 'function') {
      root.dataset.figureState = 'loading';
      handle.ready.then(() => { root.dataset.figureState = 'mounted'; }, fail);
    } else {
      root.dataset.figureState = 'mounted';
    }
  } catch (error) {
    fail(error);
  }
}

// The element a #fragment names (e.g. #step-3), if any. A figure's state may follow the id after a "?"
// (#step-1?x=1,2,3,100, ui/page-state.js): that link names #step-1; #lab?exp=… names the training lab.
function linkedTarget() {
  const id = fragmentId();
  if (id === 'lab') return document.querySelector('[data-figure="training-lab"]');
  return id ? document.getElementById(id) : null;
}

// A link with a figure's state after its id (#step-1?x=…, #lab?exp=…) names no element the browser can
// find, so the page goes there itself, once, when the document is parsed. A plain #step-3 is the
// browser's own fragment navigation; in both cases CSS scroll anchoring keeps the target in place while
// figures above it mount.
function goToStateLink() {
  if (!location.hash.includes('?')) return;
  const target = linkedTarget();
  if (target) target.scrollIntoView({ block: 'start', behavior: 'instant' });
}

function reportLoadError(error) {
  console.error('The BatchNorm core could not be loaded.', error);
  const alert = document.createElement('div');
  alert.className = 'load-error';
  alert.setAttribute('role', 'alert');
  alert.textContent = 'The interactive parts of this lesson could not start: the BatchNorm core ' +
    `(bnkata-core.js) did not load (${error && error.message ? error.message : error}). The text and formulas are all still here.`;
  const main = document.querySelector('main') || document.body;
  main.prepend(alert);
  document.documentElement.dataset.bnkata = 'error';
  document.dispatchEvent(new CustomEvent('bnkata:error', { detail: { message: String(error && error.message || error) } }));
}

// The exercises' module, loaded once, the first time a figure asks for it (a classic script: file://).
let exerciseEngineLoading = null;
function exerciseEngine() {
  if (!exerciseEngineLoading) {
    exerciseEngineLoading = loadScript('bnkata-exercises.js', () => typeof globalThis.createBnKataExercises === 'function')
      .then(() => loadExerciseEngine());
    exerciseEngineLoading.catch(() => { exerciseEngineLoading = null; });  // a later figure may retry
  }
  return exerciseEngineLoading;
}

// Performance marks (bnkata:core-start, bnkata:core-loaded, bnkata:figures-start, bnkata:ready) let
// scripts/bench-page.mjs split the time to interactive into loading the core, parsing the page and
// mounting the first figures.
const mark = (name) => { try { performance.mark(name); } catch { /* no User Timing: nothing to record */ } };

// The core starts loading the moment this script runs: index.html runs it from <head>, so the
// WebAssembly compiles while the browser is still parsing the lesson's text.
mark('bnkata:core-start');
const coreLoading = loadScript('bnkata-core.js', () => typeof globalThis.createBnKata === 'function')
  .then(() => loadCore())
  .then((core) => { mark('bnkata:core-loaded'); return core; });
coreLoading.catch(() => { /* reported by start() */ });

// Roots wait in `waiting` until the core has loaded, except those that need none (mountedWithoutCore).
const ctx = { core: null, exerciseEngine };
let coreReady = false;
const waiting = [];
const mounted = new Map();  // root → { update, destroy } | null
const scheduler = startMountScheduler((root) => {
  if (coreReady || mountedWithoutCore.has(root.dataset.figure)) mountFigure(root, ctx, mounted);
  else waiting.push(root);
}, { mountAtOnce: (root) => mountedWithoutCore.has(root.dataset.figure) });

window.addEventListener('hashchange', () => scheduler.mountWithin(linkedTarget()));
window.addEventListener('pagehide', (event) => {
  if (event.persisted) return;  // kept in the back/forward cache: keep figures alive
  for (const handle of mounted.values()) {
    try { handle && handle.destroy && handle.destroy(); } catch (error) { console.error(error); }
  }
});

const parsed = new Promise((resolve) => {
  if (document.readyState !== 'loading') resolve();
  else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
});
parsed.then(() => { goToStateLink(); scheduler.mountWithin(linkedTarget()); });

async function start() {
  try {
    ctx.core = await coreLoading;
  } catch (error) {
    await parsed;  // the alert goes at the top of <main>
    reportLoadError(error);
    return;
  }
  mark('bnkata:figures-start');  // the core is ready (the page may still be parsing)
  coreReady = true;
  for (const root of waiting.splice(0)) mountFigure(root, ctx, mounted);
  await scheduler.firstReport;  // often before the browser has parsed the whole lesson
  mark('bnkata:ready');
  document.documentElement.dataset.bnkata = 'ready';
  document.dispatchEvent(new Event('bnkata:ready'));
}

start();
