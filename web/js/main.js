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
import { holdBlocksOutsideFirstViewport, letGoOfHeldBlocks, rootsNearFirstViewport } from './ui/first-viewport.js';
import { fragmentId } from './ui/figure-link.js';
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
  const id = fragmentId();
  return id ? document.getElementById(id) : null;
}

// Mounts the figures: the deep link's section at once, those in or near the first viewport as soon as
// they are known (ui/first-viewport.js), the rest as they come within MOUNT_MARGIN of the viewport (an
// IntersectionObserver). Runs as soon as the core is ready, usually before the browser has parsed the
// whole lesson: roots parsed later are watched from DOMContentLoaded on. Resolves once the figures in or
// near the first viewport have mounted.
//
// Nothing here reads a root's position outside an animation frame: the stylesheet lets the browser skip
// the layout of blocks that are off screen (content-visibility: auto, css/layout.css), which is most of
// the cost of a first visit, and a position read at the wrong moment makes it lay out at once.
function startFigures(ctx) {
  const mounted = new Map();  // root → { update, destroy } | null
  const watched = new Set();

  const mountWithin = (container) => {
    if (!container) return;
    for (const root of watched) if (container === root || container.contains(root)) mountFigure(root, ctx, mounted);
  };
  window.addEventListener('hashchange', () => mountWithin(linkedTarget()));
  window.addEventListener('pagehide', (event) => {
    if (event.persisted) return;  // kept in the back/forward cache: keep figures alive
    for (const handle of mounted.values()) {
      try { handle && handle.destroy && handle.destroy(); } catch (error) { console.error(error); }
    }
  });

  const scrolling = 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      scrolling.unobserve(entry.target);
      mountFigure(entry.target, ctx, mounted);
    }
  }, { rootMargin: `${MOUNT_MARGIN}px 0px` }) : null;

  // The observer starts once the first viewport's figures are known: its first report, made before the
  // browser had scrolled to a #fragment, would mount figures the learner is not shown.
  let firstViewportKnown = false;
  const watch = (root) => {
    if (mounted.has(root)) return;
    if (scrolling) scrolling.observe(root);
    else mountFigure(root, ctx, mounted);  // no observer: mount everything
  };
  const watchParsedRoots = () => {
    for (const root of document.querySelectorAll('[data-figure]')) {
      if (watched.has(root)) continue;
      watched.add(root);
      if (firstViewportKnown) watch(root);
    }
    mountWithin(linkedTarget());
  };
  watchParsedRoots();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watchParsedRoots, { once: true });

  return rootsNearFirstViewport(MOUNT_MARGIN).then((near) => {
    for (const root of near) mountFigure(root, ctx, mounted);
    firstViewportKnown = true;
    for (const root of watched) watch(root);
    watchParsedRoots();
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
    // The alert goes at the top of <main>, which may not be parsed yet.
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => reportLoadError(error), { once: true });
    else reportLoadError(error);
    return;
  }
  mark('bnkata:figures-start');  // the core is ready (the page may still be parsing)
  await startFigures({ core, exerciseEngine });
  mark('bnkata:ready');
  document.documentElement.dataset.bnkata = 'ready';
  document.dispatchEvent(new Event('bnkata:ready'));
}

// The first viewport renders first: the lesson's blocks further down wait until the page is interactive
// (or has reported that it cannot be), whichever way start() ends.
holdBlocksOutsideFirstViewport();
start().finally(letGoOfHeldBlocks);
