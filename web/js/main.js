// main.js — the page's entry point, bundled into dist/app.js (web/README.md).
//
// 1. Loads the BatchNorm core (core.js over dist/bnkata-core.js). If it cannot load, the page says so in
//    an alert at the top of the lesson; the text stays readable. Figures get it as ctx.core, and
//    ctx.exerciseEngine(), which loads dist/bnkata-exercises.js the first time a figure asks for it.
// 2. Mounts every [data-figure="NAME"] root with the module registered under NAME in figures.js, lazily:
//    a root is mounted when it comes within MOUNT_MARGIN of the viewport, at once if it already is, and at
//    once if it lies in the section a #step-N link points at. A figure that fails to mount shows a message
//    in its own root and leaves the others alone. Once a root has been visited it carries
//    data-figure-state="mounted" | "failed" | "unregistered" (tests wait for this, never for time). A
//    figure that needs something loaded first returns a handle with a `ready` promise; its root is
//    data-figure-state="loading" until that settles.
// 3. Declares the page interactive: once the core has loaded and every figure in (or near) the first
//    viewport has mounted, <html> gets data-bnkata="ready" and document receives a `bnkata:ready` event.
//    (On failure: data-bnkata="error" and a `bnkata:error` event.) Tests and scripts/bench-page.mjs wait
//    for exactly this.
import { loadCore, loadExerciseEngine } from './core.js';
import { loadScript } from './ui/load-script.js';
import { figures } from './figures.js';

const MOUNT_MARGIN = 200;  // px above and below the viewport within which a figure starts (so it is ready when seen)

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
// (#step-1?x=1,2,3,100, ui/figure-link.js): that link names #step-1.
function linkedTarget() {
  let id = location.hash.slice(1).split('?')[0];
  try { id = decodeURIComponent(id); } catch { /* a malformed %-escape: look the id up as written */ }
  return id ? document.getElementById(id) : null;
}

// Mounts the figures: the deep link's section at once, the rest as they come within MOUNT_MARGIN of the
// viewport. Resolves once the figures in (or near) the first viewport have mounted.
//
// Only an IntersectionObserver measures where the roots are. The stylesheet lets the browser skip the
// layout of steps that are off screen (content-visibility: auto, css/layout.css): that is most of the
// cost of a first visit, and reading a root's position from script (getBoundingClientRect) would force
// the layout it skips. The observer's first report, which covers every root it watches, says which are
// near the first viewport.
function startFigures(ctx) {
  const roots = Array.from(document.querySelectorAll('[data-figure]'));
  const mounted = new Map();  // root → { update, destroy } | null

  const mountWithin = (container) => {
    if (!container) return;
    for (const root of roots) if (container === root || container.contains(root)) mountFigure(root, ctx, mounted);
  };
  window.addEventListener('hashchange', () => mountWithin(linkedTarget()));
  window.addEventListener('pagehide', (event) => {
    if (event.persisted) return;  // kept in the back/forward cache: keep figures alive
    for (const handle of mounted.values()) {
      try { handle && handle.destroy && handle.destroy(); } catch (error) { console.error(error); }
    }
  });

  mountWithin(linkedTarget());
  const rest = roots.filter((root) => !mounted.has(root));
  if (!('IntersectionObserver' in window) || rest.length === 0) {
    for (const root of rest) mountFigure(root, ctx, mounted);
    return Promise.resolve();
  }
  return new Promise((firstReport) => {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        mountFigure(entry.target, ctx, mounted);
      }
      firstReport();
    }, { rootMargin: `${MOUNT_MARGIN}px 0px` });
    for (const root of rest) observer.observe(root);
  });
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

async function start() {
  let core;
  try {
    core = await coreLoading;
  } catch (error) {
    reportLoadError(error);
    return;
  }
  mark('bnkata:figures-start');  // the page is parsed and the core is ready
  await startFigures({ core, exerciseEngine });
  mark('bnkata:ready');
  document.documentElement.dataset.bnkata = 'ready';
  document.dispatchEvent(new Event('bnkata:ready'));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
