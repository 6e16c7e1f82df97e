// What a first visit loads, and what waits until it is needed: opening the lesson
// fetches the page, its script and style, the KaTeX fonts in use and bnkata-core.js — not the exercise
// engine, the code editor, the training lab or the digits. The exercise engine arrives, once, when the
// first exercise comes near, and an exercise then works with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, assertNoProblems } from './lib/index.mjs';
import { cliCompute } from './exercises-helpers.mjs';

const site = useSite();

const ON_DEMAND = ['bnkata-exercises.js', 'editor.js', 'lab.js', 'mnist.js'];

test('a first visit loads bnkata-core.js but none of the on-demand files; the exercise engine comes once, when an exercise nears', async () => {
  const requested = [];
  const { page, problems, close } = await site.open('', {
    beforeLoad: (context) => context.on('request', (request) => requested.push(new URL(request.url()).pathname.split('/').pop())),
  });
  try {
    assert.ok(requested.includes('bnkata-core.js'), `the first visit loads the core: ${requested.join(', ')}`);
    // The page is interactive and idle; nothing on demand has been asked for.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))));
    assert.deepEqual(requested.filter((file) => ON_DEMAND.includes(file)), [], 'on-demand files fetched by a first visit');
    const progress = page.locator('.progress-count:not(.progress-count--core)');
    const catalog = cliCompute({ op: 'exercise_catalog' }).exercises;
    assert.match(await progress.textContent(), new RegExp(`All exercises: 0 of ${catalog.length} correct`), 'the progress panel counts the built-in catalog without the engine');

    // Step 1's exercises come into view: the engine loads, and its cards appear.
    const step1 = page.locator('[data-figure="exercises"][data-step="1"]');
    await step1.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-figure="exercises"][data-step="1"]')?.dataset.figureState === 'mounted');
    assert.equal(await step1.locator('article.exercise').count(), 7, 'step 1 shows its seven exercise cards');
    // Step 2's exercises use the same engine: no second request.
    const step2 = page.locator('[data-figure="exercises"][data-step="2"]');
    await step2.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-figure="exercises"][data-step="2"]')?.dataset.figureState === 'mounted');
    assert.equal(requested.filter((file) => file === 'bnkata-exercises.js').length, 1, 'bnkata-exercises.js is fetched exactly once');
    assertNoProblems(problems, 'loading on demand');
  } finally {
    await close();
  }
});

test('when the exercise engine cannot load, the exercises say so where they stand and the rest of the page keeps working', async () => {
  const { page, problems, close } = await site.open('', {
    beforeLoad: (context) => context.route('**/bnkata-exercises.js', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  try {
    const step1 = page.locator('[data-figure="exercises"][data-step="1"]');
    await step1.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-figure="exercises"][data-step="1"]')?.dataset.figureState === 'failed');
    assert.match(await step1.getByRole('alert').textContent(), /bnkata-exercises\.js could not be loaded/);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exception');
    // Step 1's figure still computes with the core.
    await page.locator('[data-figure="normalize"]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-figure="normalize"]').dataset.figureState);
    assert.equal(await page.locator('[data-figure="normalize"]').getAttribute('data-figure-state'), 'mounted');
  } finally {
    await close();
  }
});

// What a learner gets at bnkata:ready, seen from outside: the figures in view are live, nothing in view
// has jumped while the page loaded (Layout Instability API), and the whole lesson's text — below the
// fold too — is in the accessibility tree (so find-in-page and screen readers reach it), whether or not
// the core loads.

// The names of the accessibility tree's nodes that are not ignored (Chromium's own tree, via DevTools).
async function accessibleNames(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.filter((node) => !node.ignored && node.name?.value).map((node) => node.name.value.replace(/\s+/g, ' ').trim());
  } finally {
    await cdp.detach();
  }
}

// Words from every section's heading and its last paragraph (the first run of plain text in each), as
// the DOM has them.
const lessonLandmarks = (page) => page.evaluate(() => Array.from(document.querySelectorAll('main > section'), (section) => {
  const opening = (element) => Array.from(element.childNodes, (node) => (node.nodeType === Node.TEXT_NODE ? node.textContent.replace(/\s+/g, ' ').trim() : ''))
    .find((text) => text.length >= 10).slice(0, 30);
  const paragraphs = section.querySelectorAll(':scope > p');
  return [opening(section.querySelector('h2')), opening(paragraphs[paragraphs.length - 1])];
}).flat());

async function assertLessonTextReachable(page, label) {
  const hidden = await page.evaluate(() => Array.from(document.querySelectorAll('main *'))
    .filter((element) => getComputedStyle(element).contentVisibility === 'hidden').map((element) => element.tagName));
  assert.deepEqual(hidden, [], `${label}: lesson elements hidden with content-visibility: hidden`);
  const names = await accessibleNames(page);
  const landmarks = await lessonLandmarks(page);
  assert.ok(landmarks.length >= 10, `${label}: the lesson has its sections`);
  for (const words of landmarks) {
    assert.ok(names.some((name) => name.startsWith(words)), `${label}: “${words}…” is in the accessibility tree`);
  }
}

const recordShiftsAndReady = (context) => context.addInitScript(() => {
  window.__shifts = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__shifts.push(entry.value); })
    .observe({ type: 'layout-shift', buffered: true });
  document.addEventListener('bnkata:ready', () => {
    window.__shiftAtReady = window.__shifts.reduce((sum, value) => sum + value, 0);
    window.__atReady = Array.from(document.querySelectorAll('[data-figure]'), (root) => {
      const box = root.getBoundingClientRect();
      return { name: root.dataset.figure, top: box.top, bottom: box.bottom, shown: root.getClientRects().length > 0,
        inLesson: !!root.closest('main > section'), state: root.dataset.figureState || null,
        inTarget: !!(location.hash && root.closest(location.hash.split('?')[0])) };
    });
  }, { once: true });
});

for (const { what, viewport, hash } of [
  { what: 'a desktop screen', viewport: { width: 1280, height: 800 }, hash: '' },
  { what: 'a 320 px phone', viewport: { width: 320, height: 640 }, hash: '' },
  { what: 'a deep link to step 5', viewport: { width: 1280, height: 800 }, hash: '#step-5' },
]) {
  test(`at bnkata:ready on ${what}, the figures in view are live, nothing has jumped, and all the text is reachable`, async () => {
    const { page, problems, close } = await site.open(hash, { viewport, beforeLoad: recordShiftsAndReady });
    try {
      const roots = await page.evaluate(() => window.__atReady);
      const inView = roots.filter((r) => r.shown && r.bottom > 0 && r.top < viewport.height);
      assert.ok(inView.length > 0, 'some figure is in the first viewport');
      assert.deepEqual(inView.filter((r) => r.state === null).map((r) => r.name), [], 'figures in view not live at bnkata:ready');
      // The lesson's figures mount lazily: those many screens away have not started, at bnkata:ready (which
      // may come before the browser has parsed them) nor once the whole lesson is there — except in the
      // section a deep link names, which mounts whole, so its exercises are there as the reader scrolls.
      const isFar = (r) => r.shown && r.inLesson && !r.inTarget && (r.top > 4 * viewport.height || r.bottom < -4 * viewport.height);
      assert.deepEqual(roots.filter((r) => isFar(r) && r.state !== null).map((r) => r.name), [], 'far figures mounted at bnkata:ready');
      await page.waitForFunction(() => document.readyState !== 'loading');
      const far = (await page.evaluate(() => Array.from(document.querySelectorAll('[data-figure]'), (root) => {
        const box = root.getBoundingClientRect();
        return { name: root.dataset.figure, top: box.top, bottom: box.bottom, shown: root.getClientRects().length > 0,
          inLesson: !!root.closest('main > section'), state: root.dataset.figureState || null,
          inTarget: !!(location.hash && root.closest(location.hash.split('?')[0])) };
      }))).filter(isFar);
      assert.ok(far.length > 0, 'some figure is far from the first viewport');
      assert.deepEqual(far.filter((r) => r.state !== null).map((r) => r.name), [], 'far figures mounted once the lesson is parsed');
      if (hash) {
        const top = await page.locator(hash).getByRole('heading', { level: 2 }).evaluate((h) => h.getBoundingClientRect().top);
        assert.ok(top >= 0 && top < viewport.height / 2, `the linked step’s heading is at the top of the screen (at ${top} px)`);
      }
      const shift = await page.evaluate(() => window.__shiftAtReady);
      assert.ok(shift < 0.01, `the page jumped while loading: layout shift ${shift.toFixed(4)} by bnkata:ready`);
      await assertLessonTextReachable(page, what);
      assertNoProblems(problems, what);
    } finally {
      await close();
    }
  });
}

test('when the core cannot load, all the lesson text stays in the accessibility tree and reads on screen', async () => {
  const { page, close } = await site.open('', {
    ready: false,
    beforeLoad: (context) => context.route('**/bnkata-core.js', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  try {
    await page.waitForFunction(() => document.documentElement.dataset.bnkata === 'error');
    await assertLessonTextReachable(page, 'without the core');
    const last = page.locator('#step-5 > p').last();
    await last.scrollIntoViewIfNeeded();
    assert.ok(await last.isVisible(), 'step 5’s last paragraph shows when scrolled to');
    assert.ok((await last.textContent()).trim().length > 0, 'and has its text');
  } finally {
    await close();
  }
});
