// step-nav.js — the step navigator: a sticky bar of links to #step-1 … #step-5 that shows where the
// reader is. The links are plain HTML in index.html (they work without JavaScript, and by keyboard as any
// link does); this module marks the current step with aria-current="step" as the page scrolls, and draws
// a thin bar showing how far through the lesson the reader is.
import { el } from '../ui/dom.js';

// A section is "current" once its top has passed this far down the viewport (below the sticky bar).
const READING_LINE = 0.3;

export function mount(root) {
  const links = Array.from(root.querySelectorAll('a[href^="#step-"]'));
  // Looked up when needed, not once: the navigator is in the first viewport, so it mounts while the
  // browser may still be parsing the steps below it (main.js).
  const sectionsNow = () => links.map((link) => document.getElementById(link.getAttribute('href').slice(1)));
  const progress = el('div', { class: 'step-nav-progress', 'aria-hidden': 'true' }, el('div', { class: 'step-nav-progress-bar' }));
  const bar = progress.firstChild;
  root.append(progress);

  let current = -1;
  let frame = 0;

  function setCurrent(index) {
    if (index === current) return;
    current = index;
    links.forEach((link, i) => {
      if (i === index) link.setAttribute('aria-current', 'step');
      else link.removeAttribute('aria-current');
    });
  }

  function measure() {
    frame = 0;
    const line = root.getBoundingClientRect().bottom + window.innerHeight * READING_LINE;
    let index = -1;
    const sections = sectionsNow();
    sections.forEach((section, i) => {
      if (section && section.getBoundingClientRect().top <= line) index = i;
    });
    const scroller = document.scrollingElement || document.documentElement;
    const atEnd = window.innerHeight + scroller.scrollTop >= scroller.scrollHeight - 2;
    if (atEnd && sections.length) index = sections.length - 1;
    setCurrent(index);
    const max = scroller.scrollHeight - window.innerHeight;
    const fraction = max > 0 ? Math.min(1, Math.max(0, scroller.scrollTop / max)) : 1;
    bar.style.transform = `scaleX(${fraction})`;
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(measure);
  }



  // A deep link (#step-N when the page loads): keep that step at the top while figures above it mount and
  // change the page's height, until the reader scrolls, clicks or types, or anything else scrolls the
  // page. Without this, a figure that mounts above the target after the jump pushes the target down.
  const INTERACTIONS = ['wheel', 'touchstart', 'pointerdown', 'keydown'];
  let pinned = null;     // the section kept in place
  let pinnedTop = 0;     // where it was put, in viewport px
  let pinnedOffset = 0;  // and where it was in the document (top + scrollY): changes only when layout shifts
  const page = document.querySelector('main') || document.body;
  const pinObserver = typeof ResizeObserver === 'function'
    ? new ResizeObserver(() => {
      if (!pinned) return;
      pinned.scrollIntoView({ block: 'start', behavior: 'instant' });
      pinnedTop = pinned.getBoundingClientRect().top;
      pinnedOffset = pinnedTop + window.scrollY;
    })
    : null;
  let letGo = false;      // the reader has scrolled, clicked or typed: nothing is pinned for them again
  function unpin() {
    pinned = null;
    if (pinObserver) pinObserver.disconnect();
    INTERACTIONS.forEach((type) => window.removeEventListener(type, release, true));
    window.removeEventListener('scroll', unpinIfMoved, true);
  }
  function release() {
    letGo = true;
    unpin();
  }
  // A scroll that moved the pinned section on screen while it kept its place in the document was not a
  // layout shift (those are put right by the observer above) but someone scrolling: let go.
  function unpinIfMoved() {
    // Mid-parse the browser itself scrolls to the fragment as the page grows: that is not the reader.
    if (!pinned || document.readyState === 'loading') return;
    const top = pinned.getBoundingClientRect().top;
    if (Math.abs(top + window.scrollY - pinnedOffset) <= 2 && Math.abs(top - pinnedTop) > 2) release();
  }
  // Put the section at the top now and record where it is: the browser's own jump to the fragment may
  // come later than this mount (it does on file://), and it must not look like the reader scrolling.
  function pin(section) {
    if (!section || !pinObserver) return;
    unpin();
    pinned = section;
    section.scrollIntoView({ block: 'start', behavior: 'instant' });
    pinnedTop = section.getBoundingClientRect().top;
    pinnedOffset = pinnedTop + window.scrollY;
    INTERACTIONS.forEach((type) => window.addEventListener(type, release, { capture: true, passive: true }));
    window.addEventListener('scroll', unpinIfMoved, { capture: true, passive: true });
    pinObserver.observe(page);
  }
  // `#step-1?x=…` (a figure's state after the id, ui/figure-link.js) names #step-1 too.
  const sectionOfHash = () => sectionsNow().find((section) => section && `#${section.id}` === location.hash.split('?')[0]);
  pin(sectionOfHash());
  // Mounted mid-parse (main.js), the navigator may come before the deep link's section does, and a page
  // still growing may not scroll far enough to put it at the top: pin again once the page is all there,
  // unless the reader has taken over meanwhile; and measure again, as the page grew meanwhile too.
  const onParsed = () => {
    if (!letGo) pin(pinned || sectionOfHash());
    schedule();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', onParsed, { once: true });
  // A step link followed later (the navigator, or a link in the text) jumps at once and is pinned like a
  // deep link. The browser's own smooth scroll would aim at where the step was when it started and then
  // lose its way as figures mount above the step and push it down.
  function onStepLink(event) {
    const link = event.target.closest && event.target.closest('a[href^="#step-"]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const sections = sectionsNow();
    const index = sections.findIndex((section) => section && `#${section.id}` === link.getAttribute('href'));
    if (index < 0) return;
    event.preventDefault();
    if (location.hash !== `#${sections[index].id}`) history.pushState(null, '', `#${sections[index].id}`);
    setCurrent(index);
    pin(sections[index]);
    // Where a followed fragment link would put the keyboard: the next Tab continues from the step.
    if (!sections[index].hasAttribute('tabindex')) sections[index].setAttribute('tabindex', '-1');
    sections[index].focus({ preventScroll: true });
  }
  function onHashChange() {  // back/forward between step links
    pin(sectionOfHash());
    schedule();
  }

  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  window.addEventListener('hashchange', onHashChange);
  document.addEventListener('click', onStepLink);
  measure();

  return {
    update: schedule,
    destroy() {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      window.removeEventListener('hashchange', onHashChange);
      unpin();
      document.removeEventListener('click', onStepLink);
      document.removeEventListener('DOMContentLoaded', onParsed);
      if (frame) cancelAnimationFrame(frame);
      progress.remove();
    },
  };
}
