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

  // Mounted while the browser may still be parsing the steps below (main.js): measure again once it is done.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', schedule, { once: true });
  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  measure();

  return {
    update: schedule,
    destroy() {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      document.removeEventListener('DOMContentLoaded', schedule);
      if (frame) cancelAnimationFrame(frame);
      progress.remove();
    },
  };
}
