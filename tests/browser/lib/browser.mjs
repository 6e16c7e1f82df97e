// browser.mjs — Debian's Chromium through playwright-core, and a lesson page opened in it with every
// kind of problem recorded (see problems.mjs).
import { chromium } from 'playwright-core';
import { collectProblems } from './problems.mjs';
import { ownPrefix } from './site.mjs';

// The flags every browser test uses (team brief): headless, no sandbox (root in CI), no GPU, and nothing
// that would make the browser itself talk to the network.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync',
];

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.BNKATA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 320, height: 640 };

// Opens the lesson at `url` in a fresh context and waits until it is interactive (html[data-bnkata="ready"]).
// Options:
//   colorScheme 'light' | 'dark'   prefers-color-scheme to emulate (default light)
//   viewport    { width, height }  default DESKTOP; NARROW is 320 px wide
//   bypassCSP   true only to inject axe-core (a11y.mjs); pages under test keep their CSP otherwise
//   ready       false to return as soon as the document has loaded (e.g. to test a failing core)
//   beforeLoad  async (context) => {} run before navigation, e.g. to context.route() a file away
//   reducedMotion 'reduce' (default: steadier tests) | 'no-preference' (the page's smooth scrolling on)
// Resolves to { page, context, problems, load(url), close() }; problems fills as the page runs (problems.mjs).
// load(url) visits another address of the same site in the same page: a new document (never a
// same-document jump to a fragment) in the same context, whose cache, storage and problems carry over;
// it waits as above. A fresh context per visit costs a renderer and a cold cache each time.
export async function openLesson(browser, url, { colorScheme = 'light', viewport = DESKTOP, bypassCSP = false, ready = true, beforeLoad, reducedMotion = 'reduce' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport, bypassCSP, reducedMotion });
  const problems = await collectProblems(context, url);
  if (beforeLoad) await beforeLoad(context);
  const page = await context.newPage();
  const load = async (address) => {
    await page.goto(address, { waitUntil: 'load' });
    if (ready) await waitForReady(page);
  };
  await load(url);
  return {
    page, context, problems,
    async load(address) {
      if (ownPrefix(address) !== ownPrefix(url)) throw new Error(`load(${address}): not a page of ${ownPrefix(url)}; open it with openLesson`);
      await page.goto('about:blank');
      await load(address);
    },
    close: () => context.close(),
  };
}

// Waits until main.js declares the page interactive: the core has loaded and the figures in view have
// mounted. Throws with the page's own message if the core failed to load.
export async function waitForReady(page, { timeout = 15000 } = {}) {
  await page.waitForFunction(() => document.documentElement.dataset.bnkata, null, { timeout });
  const state = await page.evaluate(() => document.documentElement.dataset.bnkata);
  if (state !== 'ready') {
    const alert = await page.evaluate(() => document.querySelector('.load-error')?.textContent ?? '');
    throw new Error(`the lesson did not become interactive (data-bnkata="${state}"): ${alert}`);
  }
}

// Scrolls every figure root into view in turn, so that each lazily mounted figure mounts, and waits until
// each has been visited (data-figure-state set by main.js). Repeats while mounting adds new roots. A root
// already visited (mounted near another, or by an earlier call) is not scrolled to again, so a second call
// on the same page costs next to nothing. Leaves the page scrolled back to the top. Resolves to
// { name: state } for every root.
export async function mountAllFigures(page, { timeout = 15000 } = {}) {
  let seen = -1;
  for (;;) {
    const count = await page.locator('[data-figure]').count();
    if (count === seen) break;
    seen = count;
    const unvisited = await page.evaluate(() => Array.from(document.querySelectorAll('[data-figure]'), (root, i) => (root.dataset.figureState ? -1 : i)).filter((i) => i >= 0));
    for (const i of unvisited) {
      await page.evaluate((index) => {
        // A root hidden while empty has no box: scroll to what stands for it, as main.js observes it.
        const root = document.querySelectorAll('[data-figure]')[index];
        if (root.dataset.figureState) return;  // visited since the list was made
        let place = root;
        if (!root.getClientRects().length) {
          place = null;
          for (let el = root.previousElementSibling; el && !place; el = el.previousElementSibling) if (el.getClientRects().length) place = el;
          for (let el = root.parentElement; el && !place; el = el.parentElement) if (el.getClientRects().length) place = el;
        }
        (place || root).scrollIntoView({ block: 'center' });
      }, i);
      await page.waitForFunction((index) => document.querySelectorAll('[data-figure]')[index]?.dataset.figureState, i, { timeout });
    }
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.evaluate(() => Object.fromEntries(
    Array.from(document.querySelectorAll('[data-figure]'), (root, i) => [`${i}:${root.dataset.figure}`, root.dataset.figureState])));
}
