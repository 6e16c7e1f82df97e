// What a first visit loads, and what waits until it is needed (issue 3's page budget): opening the lesson
// fetches the page, its script and style, the KaTeX fonts in use and bnkata-core.js — not the exercise
// engine, the code editor, the training lab or the digits. The exercise engine arrives, once, when the
// first exercise comes near, and an exercise then works with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, serveSite, openLesson, assertNoProblems } from './lib/index.mjs';

let browser;
let site;
before(async () => {
  browser = await launchChromium();
  site = await serveSite({ base: '/lesson/' });
});
after(async () => {
  await site?.close();
  await browser?.close();
});

const ON_DEMAND = ['bnkata-exercises.js', 'editor.js', 'lab.js', 'mnist.js'];

test('a first visit loads bnkata-core.js but none of the on-demand files; the exercise engine comes once, when an exercise nears', async () => {
  const requested = [];
  const { page, problems, close } = await openLesson(browser, site.url, {
    beforeLoad: (context) => context.on('request', (request) => requested.push(new URL(request.url()).pathname.split('/').pop())),
  });
  try {
    assert.ok(requested.includes('bnkata-core.js'), `the first visit loads the core: ${requested.join(', ')}`);
    // The page is interactive and idle; nothing on demand has been asked for.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))));
    assert.deepEqual(requested.filter((file) => ON_DEMAND.includes(file)), [], 'on-demand files fetched by a first visit');
    const progress = page.locator('.progress-count');
    assert.match(await progress.textContent(), /^0 of 22 exercises correct/, 'the progress panel counts the built-in catalog without the engine');

    // Step 1's exercises come into view: the engine loads, and its cards appear.
    const step1 = page.locator('[data-figure="exercises"][data-step="1"]');
    await step1.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-figure="exercises"][data-step="1"]')?.dataset.figureState === 'mounted');
    assert.equal(await step1.locator('article.exercise').count(), 4, 'step 1 shows its four exercise cards');
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
  const { page, problems, close } = await openLesson(browser, site.url, {
    beforeLoad: (context) => context.route('**/bnkata-exercises.js', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  try {
    const step1 = page.locator('[data-figure="exercises"][data-step="1"]');
    await step1.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-figure="exercises"][data-step="1"]')?.dataset.figureState === 'failed');
    assert.match(await step1.getByRole('alert').textContent(), /bnkata-exercises\.js could not be loaded/);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exception');
    // Step 1's figure still computes with the core.
    assert.equal(await page.locator('[data-figure="normalize"]').getAttribute('data-figure-state'), 'mounted');
  } finally {
    await close();
  }
});

// bnkata:ready comes as soon as the figures a learner can see are live, which is usually before the
// browser has finished parsing the lesson (web/js/ui/first-viewport.js): at that moment every figure in
// or within 200 px of the viewport has been mounted, and none in a part of the page far from it has
// (figures mount lazily).
// The first viewport is also painted first (web/js/ui/first-viewport.js): at that moment every block of
// the lesson's text in view is rendered, and (unless the address is a deep link) those more than 200 px
// below it wait, content-visibility: hidden, until the page is interactive; shortly after, none is
// held any more. The progress panel's place is kept while it mounts, so the page does not jump (Layout
// Instability API).
// Checked on a desktop screen (the step navigator and the progress panel), a screen tall enough to
// reach step 1's figure, a phone, and a deep link into step 5.
for (const { what, viewport, hash } of [
  { what: 'a desktop screen', viewport: { width: 1280, height: 800 }, hash: '' },
  { what: 'a screen tall enough to reach step 1’s figure', viewport: { width: 1280, height: 2600 }, hash: '' },
  { what: 'a 320 px phone', viewport: { width: 320, height: 640 }, hash: '' },
  { what: 'a deep link to step 5', viewport: { width: 1280, height: 800 }, hash: '#step-5' },
]) {
  test(`at bnkata:ready on ${what}, the figures and text near the viewport are live and painted, those far from it wait, and then the page lets go`, async () => {
    const { page, problems, close } = await openLesson(browser, site.url + hash, {
      viewport,
      beforeLoad: (context) => context.addInitScript(() => {
        window.__shifts = [];
        // content-visibility: auto blocks the browser reports rendering (it may skip one even in view).
        const rendered = new Set();
        document.addEventListener('contentvisibilityautostatechange', (event) => {
          if (event.skipped) rendered.delete(event.target); else rendered.add(event.target);
        }, true);
        new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__shifts.push(entry.value); })
          .observe({ type: 'layout-shift', buffered: true });
        document.addEventListener('bnkata:ready', () => {
          // Each block of the lesson's text: where it is, and whether its contents are rendered.
          window.__blocksAtReady = Array.from(document.querySelectorAll('.step > :not([data-figure]):not(.figure-wide)'), (block) => {
            const box = block.getBoundingClientRect();
            const visibility = getComputedStyle(block).contentVisibility;
            return { text: block.textContent.trim().slice(0, 40), top: box.top, bottom: box.bottom,
              held: visibility === 'hidden',
              rendered: block.checkVisibility({ contentVisibilityAuto: true })  // false inside a skipped step
                && (visibility === 'visible' || (visibility === 'auto' && rendered.has(block))) };
          });
          // Where each root is, and where the part of the page it belongs to is: its step's section
          // (a figure mounting above a root in the same step pushes it down), or itself.
          window.__atReady = Array.from(document.querySelectorAll('[data-figure]'), (root) => {
            const box = root.getBoundingClientRect();
            const part = (root.closest('.step') || root).getBoundingClientRect();
            return { name: root.dataset.figure, top: box.top, bottom: box.bottom, partTop: part.top, partBottom: part.bottom,
              state: root.dataset.figureState || null, linked: !!location.hash && !!root.closest(location.hash) };
          });
        }, { once: true });
      }),
    });
    try {
      const roots = await page.evaluate(() => window.__atReady);
      const height = viewport.height;
      const near = roots.filter((r) => r.bottom >= -200 && r.top <= height + 200);
      const far = roots.filter((r) => !r.linked && (r.partTop > height + 600 || r.partBottom < -600));
      assert.ok(near.length > 0, 'some figure is near the first viewport');
      assert.deepEqual(near.filter((r) => r.state === null).map((r) => r.name), [], 'near figures not yet mounted at bnkata:ready');
      assert.deepEqual(far.filter((r) => r.state !== null).map((r) => r.name), [], 'far figures already mounted at bnkata:ready');
      if (hash) assert.ok(roots.some((r) => r.linked && r.name === 'verify' && r.state !== null), 'the deep-linked step’s figure is live');
      if (viewport.height > 2000) assert.ok(near.some((r) => r.name === 'normalize'), 'the tall screen reaches step 1’s figure');

      // Painted first: the text in view is rendered, the text below it is not yet.
      const blocks = await page.evaluate(() => window.__blocksAtReady);
      const inView = blocks.filter((b) => b.bottom > 0 && b.top < height);
      // (bnkata:ready comes once the parser is past the first viewport and 200 px more: blocks below that
      // are there on a usual screen, but on a very tall one the parser may not have reached them yet.)
      const below = blocks.filter((b) => b.top > height + 200);
      // (On the phone the masthead, navigator and progress panel fill the first screen.)
      if (viewport.width > 400) assert.ok(inView.length > 0, 'some of the lesson’s text is in the first viewport');
      assert.deepEqual(inView.filter((b) => !b.rendered).map((b) => b.text), [], 'text in view not rendered at bnkata:ready');
      if (viewport.height < 2000) assert.ok(below.length > 0, 'the lesson goes on below the first viewport');
      if (hash) {
        // A deep link holds nothing back: the browser jumps to its target when it likes, and must find
        // the text there ready to paint.
        assert.deepEqual(blocks.filter((b) => b.held).map((b) => b.text), [], 'text held back with a deep link');
      } else {
        assert.deepEqual(below.filter((b) => !b.held).map((b) => b.text), [], 'text below the first viewport rendered before the page was interactive');
      }
      // Then let go: no block is held, and what was in view stays rendered.
      await page.waitForFunction(() => !document.documentElement.classList.contains('holding-blocks'), null, { timeout: 10000 });
      const heldAfter = await page.evaluate(() => Array.from(document.querySelectorAll('.step > *'))
        .filter((block) => getComputedStyle(block).contentVisibility === 'hidden').length);
      assert.equal(heldAfter, 0, 'blocks still hidden once the page has let go of them');
      if (!hash && viewport.height < 2000) {
        // Nothing in view jumps when the progress panel and the navigator mount (a 3 px progress bar
        // appears under the navigator: a shift of about 0.002).
        const shift = (await page.evaluate(() => window.__shifts)).reduce((sum, value) => sum + value, 0);
        assert.ok(shift < 0.01, `the page jumped while loading: layout shift ${shift.toFixed(4)}`);
      }
      assertNoProblems(problems, what);
    } finally {
      await close();
    }
  });
}
