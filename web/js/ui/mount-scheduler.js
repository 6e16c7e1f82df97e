// mount-scheduler.js — when each [data-figure] root mounts. A root mounts when it comes within a
// screen of the viewport (an IntersectionObserver), and when keyboard focus enters its step or the step
// before it, so that holding Tab reaches every exercise in order without waiting for scrolling to stop.
// Roots parsed after the scheduler starts (it starts from <head>) are observed as the parser inserts
// them; a root for which mountAtOnce(root) is true mounts right then, before the browser first paints it
// (the navigator and the progress panel above the lesson: mounted later they would push the text down).

const MARGIN = '100% 0px';  // a screen above and below: a figure is there before the reader reaches it

// Calls mountRoot(root) once per root, when it is near. `firstReport` resolves once the document is
// parsed and the observer has reported on its roots: the figures in or near the viewport have mounted.
// mountWithin(element) mounts the roots in (or at) an element now, e.g. a deep link's target.
export function startMountScheduler(mountRoot, { mountAtOnce = () => false } = {}) {
  const done = new WeakSet();
  const mount = (root) => {
    if (done.has(root)) return;
    done.add(root);
    observer?.unobserve(root);
    mountRoot(root);
  };
  let reported;
  const firstReport = new Promise((resolve) => { reported = resolve; });
  const observer = 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) mount(entry.target);
    if (document.readyState !== 'loading') reported();
  }, { rootMargin: MARGIN }) : null;
  // A root to mount at once waits until the parser has closed it (something follows it), as its module
  // may read the HTML inside it.
  const atOnce = new Set();
  const watch = (root) => {
    if (mountAtOnce(root)) atOnce.add(root);
    else if (observer) observer.observe(root);
    else mount(root);
  };
  const mountClosed = (all) => {
    for (const root of atOnce) if (all || root.nextSibling) { atOnce.delete(root); mount(root); }
  };

  document.querySelectorAll('[data-figure]').forEach(watch);
  const parsing = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      if (node.matches('[data-figure]')) watch(node);
      node.querySelectorAll('[data-figure]').forEach(watch);
    }
    mountClosed(false);
  });
  // Once parsed, every root still waiting is observed afresh: observe() reports a target's state once,
  // so the first report after this one covers them all.
  const whenParsed = () => {
    parsing.disconnect();
    mountClosed(true);
    let waiting = 0;
    for (const root of document.querySelectorAll('[data-figure]')) {
      if (done.has(root) || mountAtOnce(root)) continue;
      observer?.unobserve(root);
      watch(root);
      waiting += 1;
    }
    if (!observer || waiting === 0) reported();  // nothing left for the observer to report on
  };
  if (document.readyState === 'loading') {
    parsing.observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', whenParsed, { once: true });
  } else whenParsed();

  // Keyboard: focus in a step (or before the lesson) mounts that step's roots and the next step's.
  document.addEventListener('focusin', (event) => {
    const steps = Array.from(document.querySelectorAll('.step'));
    const here = steps.findIndex((step) => step.contains(event.target));
    const first = here < 0 ? (steps[0]?.compareDocumentPosition(event.target) & Node.DOCUMENT_POSITION_PRECEDING ? 0 : -1) : here;
    if (first < 0) return;
    for (const step of steps.slice(first, first + 2)) step.querySelectorAll('[data-figure]').forEach(mount);
  });

  const mountWithin = (element) => {
    if (!element) return;
    if (element.matches('[data-figure]')) mount(element);
    element.querySelectorAll('[data-figure]').forEach(mount);
  };
  return { firstReport, mountWithin };
}
