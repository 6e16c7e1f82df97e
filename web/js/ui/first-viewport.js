// first-viewport.js — which figure roots lie in (or within `margin` px of) the first viewport, found in
// the page's first animation frames, while the browser may still be parsing the lesson.
//
// Why animation frames, not an IntersectionObserver: while a page loads, Chromium runs observer callbacks
// only once the parser has finished (loading work goes first). For this page that was 60–120 ms after its
// first frame had been painted, and the page could not call itself interactive before.
// requestAnimationFrame callbacks run every frame, loading or not. (main.js still mounts the roots a
// learner scrolls to with an IntersectionObserver.)
//
// Measuring a root does not make the browser lay out what content-visibility lets it skip
// (css/layout.css): every root is a child of <main> or of a step's <section>, never of one of the
// skipped blocks, so laying out its position takes the blocks before it at their size (real or
// placeholder), not their contents. The first measurement waits for the browser's first frame, in which
// it renders the blocks near the screen (here, the first 1.3 viewports below the fold) at their real
// size; blocks further down keep a placeholder height close to a block's average (css/layout.css), so a
// root beyond them is placed to within a few lines of text.
//
// The answer is final once the parser has got past the range (no root still to come can lie in it) and
// a #fragment's target, if the address names one, is in view.

import { fragmentId } from './figure-link.js';

// content-visibility: auto elements whose contents the browser renders, as it reports them (the event
// arrives before the next frame's callbacks).
const rendered = new Set();
document.addEventListener('contentvisibilityautostatechange', (event) => {
  if (event.skipped) rendered.delete(event.target);
  else rendered.add(event.target);
}, true);

// Whether the parser is done, or the last element it has inserted starts below `bottom`: content after
// it in this page's flow starts lower still. The walk does not enter a content-visibility: auto element
// whose contents are skipped (its own box is laid out; measuring inside it would lay out its contents).
function parsedPast(bottom) {
  if (document.readyState !== 'loading') return true;
  let last = document.body && document.body.lastElementChild;
  if (!last) return false;
  while (last.lastElementChild && (rendered.has(last) || getComputedStyle(last).contentVisibility !== 'auto')) last = last.lastElementChild;
  return last.getBoundingClientRect().top > bottom;
}

// With a #fragment, the first viewport is the one that shows its target at the top (below the sticky
// navigator: its scroll-margin-top), as far as the page can scroll. The browser scrolls there itself,
// but at a moment of its choosing (over file://, after DOMContentLoaded): the target is put there now,
// as the browser would. Returns whether the viewport is still to move: the target is not parsed yet, or
// had to be put in place (measure in the next frame).
let scrolledOnceParsed = false;
function fragmentNotInView() {
  const id = fragmentId();
  if (id === '') return false;
  const target = document.getElementById(id);
  if (!target) return document.readyState === 'loading';
  const offset = target.getBoundingClientRect().top - (parseFloat(getComputedStyle(target).scrollMarginTop) || 0);
  const scroller = document.scrollingElement || document.documentElement;
  const atEnd = scroller.scrollTop + window.innerHeight >= scroller.scrollHeight - 1;
  if (Math.abs(offset) <= 2 || (offset > 0 && atEnd)) return false;
  // While the page grows the target may need putting in place again; once it is all there, once more at
  // most (a target that cannot reach the top, e.g. a sticky one, must not hold the page up).
  if (document.readyState !== 'loading') {
    if (scrolledOnceParsed) return false;
    scrolledOnceParsed = true;
  }
  target.scrollIntoView({ block: 'start', behavior: 'instant' });
  return true;
}

// Resolves to the [data-figure] roots in or within `margin` px of the first viewport.
export function rootsNearFirstViewport(margin) {
  return new Promise((resolve) => {
    let frames = 0;
    const frame = () => {
      const bottom = window.innerHeight + margin;
      if (frames++ === 0 || fragmentNotInView() || !parsedPast(bottom)) {
        requestAnimationFrame(frame);
        return;
      }
      resolve(Array.from(document.querySelectorAll('[data-figure]')).filter((root) => {
        if (root.getClientRects().length === 0) return false;  // display: none: nothing to see
        const rect = root.getBoundingClientRect();
        return rect.bottom >= -margin && rect.top <= bottom;
      }));
    };
    requestAnimationFrame(frame);
  });
}
