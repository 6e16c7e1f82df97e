// first-viewport.js — the page's first viewport: rendered before the rest of the lesson, and the figure
// roots in (or within `margin` px of) it, found in the page's first animation frames while the browser may
// still be parsing the lesson.
//
// Rendered first. The lesson's blocks (a step's paragraphs, formulas, lists) are content-visibility: auto
// (css/layout.css), and Chromium renders every such block within 1.5 viewports of the screen before it
// paints at all: on a first visit, step 1's first dozen blocks and their ~15 formulas, down to 1.3 screens
// below the fold. So while the page loads, the blocks outside the viewport are held back (content-
// visibility: hidden, under a class this module puts on <html>), and each animation frame shows the blocks
// that have come into view, before the browser renders that frame. (The progress panel's place is kept
// while it mounts, css/exercises.css, so that the blocks found in view are still there once it has.)
// Once the page is interactive, the held blocks nearest the screen are shown a few per frame (so that a
// learner's first click does not wait for all of them at once), and when those within the browser's own
// reach are all shown the class goes: content-visibility: auto takes over, as it does without
// JavaScript. Held blocks cannot be found with find-in-page and are not in the accessibility tree; that
// lasts from the first paint until a few hundred milliseconds after the page is interactive. A deep link
// holds nothing back (holdBlocksOutsideFirstViewport says why). The README's page budget has the
// measurements.
//
// Roots found in animation frames, not by an IntersectionObserver: while a page loads, Chromium runs
// observer callbacks only once the parser has finished (loading work goes first). For this page that was
// 60–120 ms after its first frame had been painted, and the page could not call itself interactive before.
// requestAnimationFrame callbacks run every frame, loading or not. (main.js still mounts the roots a
// learner scrolls to with an IntersectionObserver.)
//
// Measuring a root does not make the browser lay out what content-visibility lets it skip: every root is a
// child of <main> or of a step's <section>, never of one of the blocks, so laying out its position takes
// the blocks before it at their size (real, or a placeholder height close to a block's average, css/
// layout.css), not their contents. The blocks in the viewport are shown before any root is measured, so a
// root in view is placed exactly, and one further down to within a few lines.
//
// The answer is final once the parser has got past the range (no root still to come can lie in it), a
// #fragment's target, if the address names one, is in view, and the text in view has been rendered.

import { fragmentId } from './figure-link.js';

// content-visibility: auto elements whose contents the browser renders, as it reports them (the event
// arrives before the next frame's callbacks).
const rendered = new Set();
document.addEventListener('contentvisibilityautostatechange', (event) => {
  if (event.skipped) rendered.delete(event.target);
  else rendered.add(event.target);
}, true);

// ---------------------------------------------------------------------------------------------------
// Rendered first: holding back the blocks outside the first viewport

// The blocks that css/layout.css makes content-visibility: auto (figure roots draw themselves, and are
// never held), and the class on <html> under which those not yet shown are content-visibility: hidden.
// A block in view while the page loads is shown as `visible`, for good: as `auto` the browser would
// skip it in the frame that shows it (it renders an auto block only once it has seen it on screen) and
// again for a frame when the class went, both times leaving a blank where the reader is looking. A block
// shown later, off screen, goes back to the stylesheet's `auto`.
const BLOCKS = '.step > :not([data-figure]):not(.figure-wide)';
const HOLDING = 'holding-blocks';
const SEEN = 'block-seen';
const SHOWN = 'block-shown';
// How far beyond the screen Chromium renders content-visibility: auto blocks (150% of the viewport's
// height, above and below): once every held block within it is shown, letting go of the rest costs nothing.
const BROWSER_REACH = 1.5;
// Frame time spent showing held blocks once the page is interactive (at least one block per frame).
const SHOW_BUDGET_MS = 8;

const isHeld = (block) => block.matches(BLOCKS) && !block.classList.contains(SEEN) && !block.classList.contains(SHOWN);

// The held blocks that lie (at least partly) between `top` and `bottom` (viewport px), in document order.
// Lazy: each is measured when asked for, so a block shown meanwhile is laid out at its real size first.
// A step's section wholly outside the range is not entered (measuring inside it would lay it out).
function* heldBlocksBetween(top, bottom) {
  for (const section of document.querySelectorAll('.step')) {
    const box = section.getBoundingClientRect();
    if (box.bottom < top) continue;
    if (box.top > bottom) return;
    for (const block of section.children) {
      if (!isHeld(block)) continue;
      const rect = block.getBoundingClientRect();
      if (rect.top > bottom) return;
      if (rect.bottom >= top) yield block;
    }
  }
}

let holding = false;
let lettingGo = false;

// Shows every held block in the viewport. Called at the start of every frame while blocks are held,
// before the browser renders it (and before roots are measured).
function showBlocksInViewport() {
  if (!holding) return;
  for (const block of heldBlocksBetween(0, window.innerHeight)) block.classList.add(SEEN);
}

// Once the page is interactive: shows held blocks within the browser's reach, those below the viewport
// first (nearest first), then those above, for SHOW_BUDGET_MS; returns whether any is left.
function showSomeHeldBlocks() {
  const height = window.innerHeight;
  const stop = performance.now() + SHOW_BUDGET_MS;
  for (const block of heldBlocksBetween(height, height * (1 + BROWSER_REACH))) {
    block.classList.add(SHOWN);
    if (performance.now() > stop) return true;
  }
  const above = Array.from(heldBlocksBetween(-height * BROWSER_REACH, 0)).reverse();
  for (const block of above) {
    block.classList.add(SHOWN);
    if (performance.now() > stop) return true;
  }
  return false;
}

function holdingFrame() {
  if (!holding) return;
  try {
    showBlocksInViewport();
    if (lettingGo && !showSomeHeldBlocks()) stopHolding();
  } catch (error) {
    stopHolding();  // never leave the lesson's text hidden
    throw error;
  }
  if (holding) requestAnimationFrame(holdingFrame);
}

// (The blocks keep their classes: without HOLDING, SHOWN means nothing, and SEEN keeps them rendered.)
function stopHolding() {
  holding = false;
  document.documentElement.classList.remove(HOLDING);
}

// Starts holding back the lesson's blocks outside the viewport. Call it before the browser's first frame
// (main.js runs from <head>). Not with a #fragment (a deep link): the browser jumps to its target at a
// moment of its own, outside animation frames, and would paint the blocks there blank for a frame.
export function holdBlocksOutsideFirstViewport() {
  if (holding || typeof requestAnimationFrame !== 'function' || fragmentId() !== '') return;
  holding = true;
  document.documentElement.classList.add(HOLDING);
  requestAnimationFrame(holdingFrame);
}

// The page is interactive (or has given up on its figures): show the held blocks, a few per frame, then
// let content-visibility: auto take over.
export function letGoOfHeldBlocks() {
  lettingGo = true;
}

// ---------------------------------------------------------------------------------------------------
// The roots near the first viewport

// Whether the parser is done, or the last element it has inserted starts below `bottom`: content after
// it in this page's flow starts lower still. The walk does not enter an element whose contents are
// skipped (content-visibility hidden, or auto and not rendered): its own box is laid out, and measuring
// inside it would lay out its contents.
function parsedPast(bottom) {
  if (document.readyState !== 'loading') return true;
  let last = document.body && document.body.lastElementChild;
  if (!last) return false;
  const contentsRendered = (element) => {
    const visibility = getComputedStyle(element).contentVisibility;
    return visibility === 'visible' || (visibility === 'auto' && rendered.has(element));
  };
  while (last.lastElementChild && contentsRendered(last)) last = last.lastElementChild;
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

// Whether the browser has rendered the lesson's text in view: every content-visibility: auto section and
// block that meets the viewport has been reported rendered. Right after a jump (to a #fragment's target,
// where nothing is held) the browser skips the blocks it lands on for a frame, and the page is not ready
// while its reader looks at blanks. Measures only inside sections that are rendered.
function textInViewRendered() {
  const height = window.innerHeight;
  for (const section of document.querySelectorAll('.step')) {
    const box = section.getBoundingClientRect();
    if (box.bottom <= 0) continue;
    if (box.top >= height) return true;
    if (!rendered.has(section)) return false;
    for (const block of section.children) {
      if (!block.matches(BLOCKS)) continue;
      const rect = block.getBoundingClientRect();
      if (rect.top >= height) return true;
      if (rect.bottom > 0 && getComputedStyle(block).contentVisibility === 'auto' && !rendered.has(block)) return false;
    }
  }
  return true;
}

// Frames to wait at most for the browser to render the text in view (should it never report it, the
// figures must still start).
const RENDER_WAIT_FRAMES = 10;

// Resolves to the [data-figure] roots in or within `margin` px of the first viewport.
export function rootsNearFirstViewport(margin) {
  return new Promise((resolve) => {
    let frames = 0;
    let renderWait = 0;
    const frame = () => {
      showBlocksInViewport();
      const bottom = window.innerHeight + margin;
      if (frames++ === 0 || fragmentNotInView() || !parsedPast(bottom)
          || (!textInViewRendered() && renderWait++ < RENDER_WAIT_FRAMES)) {
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
