// The built lesson as a learner meets it: from a static host under a subpath and straight from disk,
// clean (no console errors, no CSP violations, no request beyond its own files), deep-linkable, usable
// by keyboard alone, accessible in light and dark, and readable on a 320 px wide phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useSite, fileUrl, mountAllFigures, assertNoProblems,
  runAxe, formatViolations, tabThrough, horizontalOverflow, NARROW,
} from './lib/index.mjs';

const site = useSite();

// Figures near the viewport that load something first (the exercises load their engine) grow when it
// arrives; step-nav.js keeps a deep link's step in place before the next paint, but a measurement taken
// between the growth and that frame would see it moved. So measure once they have all settled.
async function figuresNearViewSettled(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-figure]')].every((root) => {
    const box = root.getBoundingClientRect();
    const near = box.bottom > -200 && box.top < innerHeight + 200;
    return !near || (root.dataset.figureState && root.dataset.figureState !== 'loading');
  }), null, { timeout: 10000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

// Every figure mounted and none failed, and nothing went wrong on the way.
async function assertEveryFigureStarts(page, problems, label) {
  const states = await mountAllFigures(page);
  const failed = Object.entries(states).filter(([, state]) => state === 'failed');
  assert.deepEqual(failed, [], 'figures that failed to mount');
  assert.ok(Object.values(states).includes('mounted'), 'at least one figure is live');
  assertNoProblems(problems, label);
}

test('over http under the subpath /lesson/ the lesson loads, every figure starts, nothing errs, breaks the CSP or leaves its own files; and the whole page is reachable by Tab alone, every stop shows a visible focus indicator, and Tab never gets trapped', async () => {
  const { page, problems, close } = await site.open(site.url);
  try {
    await assertEveryFigureStarts(page, problems, 'http under the subpath /lesson/');
    const walk = await tabThrough(page);
    assert.ok(walk.interactive.length > 0, 'the page has interactive elements');
    assert.equal(walk.trapped, false, `Tab did not leave the page after ${walk.stops.length} stops (a keyboard trap)`);
    assert.deepEqual(walk.unreached.map((e) => `${e.tag} "${e.label}"`), [], 'interactive elements Tab never reached');
    assert.deepEqual(walk.withoutIndicator.map((e) => `${e.tag} "${e.label}"`), [], 'focused elements with no visible focus indicator');
    assert.deepEqual(walk.stops.filter((s) => !s.inViewport).map((e) => `${e.tag} "${e.label}"`), [], 'focused elements scrolled out of view');
    assert.deepEqual(walk.stops.filter((s) => s.obscured).map((e) => `${e.tag} "${e.label}"`), [], 'focused elements hidden behind something (e.g. a sticky navigator)');
    assertNoProblems(problems, 'keyboard walk');
  } finally {
    await close();
  }
});

test('over file:// at 320 px wide the lesson loads, every figure starts, nothing errs, breaks the CSP or leaves its own files, and nothing scrolls horizontally', async () => {
  const { page, problems, close } = await site.open(fileUrl(), { viewport: NARROW });
  try {
    await assertEveryFigureStarts(page, problems, 'file://, 320 px');
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow.scrollWidth <= overflow.clientWidth,
      `page is ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px viewport; sticking out: ${overflow.offenders.join(', ')}`);
  } finally {
    await close();
  }
});

const ways = [
  ['http under the subpath /lesson/', () => site.url],
  ['file://', () => fileUrl()],
];

for (const [way, urlOf] of ways) {
  test(`over ${way} the deep links #step-1 … #step-5 land on their section, its heading in view and uncovered`, async () => {
    // Each link is a new visit, one after another in one browser context.
    const lesson = await site.open(`${urlOf()}#step-1`);
    try {
      for (let n = 1; n <= 5; n++) {
        if (n > 1) await lesson.load(`${urlOf()}#step-${n}`);
        const { page, problems } = lesson;
        await figuresNearViewSettled(page);
        const where = await page.evaluate((id) => {
          const section = document.getElementById(id);
          const heading = section.querySelector('h2, h3');
          const box = heading.getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + Math.min(box.width, 40) / 2, box.top + box.height / 2);
          return {
            target: document.querySelector(':target')?.id,
            top: box.top,
            bottom: box.bottom,
            viewport: innerHeight,
            uncovered: !!hit && heading.contains(hit),
          };
        }, `step-${n}`);
        assert.equal(where.target, `step-${n}`, `#step-${n} is the :target`);
        assert.ok(where.top >= 0 && where.bottom <= where.viewport, `#step-${n}: heading in view (${JSON.stringify(where)})`);
        assert.ok(where.uncovered, `#step-${n}: heading not covered by anything (e.g. a sticky navigator)`);
        assertNoProblems(problems, `${way} #step-${n}`);
      }
    } finally {
      await lesson.close();
    }
  });
}

// Learners without a reduced-motion preference get the page's smooth scrolling; a deep link, or a step
// link followed later, must still end on its step once the figures around it have mounted and grown.
async function settledOnStep(page, n) {
  await page.waitForFunction((id) => {
    const margin = 200;  // main.js mounts roots within 200 px of the viewport
    const pending = [...document.querySelectorAll('[data-figure]')].some((root) => {
      const box = root.getBoundingClientRect();
      return (!root.dataset.figureState || root.dataset.figureState === 'loading') && box.bottom > -margin && box.top < innerHeight + margin;
    });
    const top = document.getElementById(id).querySelector('h2').getBoundingClientRect().top;
    return !pending && top >= 0 && top < innerHeight / 2;
  }, `step-${n}`, { timeout: 10000 });
  // Then settled: no figure anywhere still loading (an exercise list waits for the exercise engine), and
  // the heading in the same place for 30 frames in a row. (Not Playwright's "networkidle", which in this
  // test sometimes never came.)
  await page.waitForFunction((id) => {
    const loading = document.querySelector('[data-figure][data-figure-state="loading"]');
    const top = Math.round(document.getElementById(id).querySelector('h2').getBoundingClientRect().top);
    window.__settle = (!loading && window.__settle && window.__settle.top === top) ? { top, frames: window.__settle.frames + 1 } : { top, frames: 0 };
    return window.__settle.frames >= 30;
  }, `step-${n}`, { polling: 'raf', timeout: 15000 });
  const top = await page.evaluate((id) => document.getElementById(id).querySelector('h2').getBoundingClientRect().top, `step-${n}`);
  assert.ok(top >= 0 && top < (await page.evaluate(() => innerHeight)) / 2, `step ${n}'s heading stays in view (top ${top})`);
}

test('with smooth scrolling on, deep links and the step navigator land on their step after the figures mount', async () => {
  // Each link is a new visit, one after another in one browser context.
  const lesson = await site.open(`${fileUrl()}#step-2`, { reducedMotion: 'no-preference' });
  try {
    for (let n = 2; n <= 5; n++) {
      if (n > 2) await lesson.load(`${fileUrl()}#step-${n}`);
      await settledOnStep(lesson.page, n);
      assertNoProblems(lesson.problems, `#step-${n} with smooth scrolling`);
    }
    const { page, problems } = lesson;
    await lesson.load(`${fileUrl()}#step-1`);
    await page.getByRole('navigation', { name: 'Kata steps' }).getByRole('link', { name: /Verify/ }).click();
    await page.waitForFunction(() => location.hash === '#step-5');
    await settledOnStep(page, 5);
    assertNoProblems(problems, 'navigator link with smooth scrolling');
  } finally {
    await lesson.close();
  }
});

test('axe-core finds no accessibility violations in the light or the dark colour scheme, every figure mounted', async () => {
  // bypassCSP only so that axe can be injected; the CSP itself is checked by the load tests above.
  // One page, its colour scheme switched as a learner's system switches it.
  const { page, close } = await site.open('', { bypassCSP: true });
  try {
    await mountAllFigures(page);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe (${colorScheme}):\n${formatViolations(violations)}`);
    }
  } finally {
    await close();
  }
});

test('when the core cannot load, the page says so in an alert and the lesson text and formulas stay', async () => {
  const { page, problems, close } = await site.open('', {
    ready: false,
    beforeLoad: (context) => context.route('**/bnkata-core.js', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  try {
    await page.waitForFunction(() => document.documentElement.dataset.bnkata === 'error');
    const alert = page.getByRole('alert').filter({ hasText: 'could not start' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /bnkata-core\.js/);
    assert.ok(await page.locator('#step-5 .katex').count() + await page.locator('#step-1 .katex').count() > 0, 'formulas still there');
    const cube = page.getByRole('group', { name: 'Interactive: the normalization cube' }).getByText(/needs the lesson’s WebAssembly core/);
    assert.ok(await cube.isVisible(), 'the normalization cube says in words what it would show');
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exception');
  } finally {
    await close();
  }
});

test('an unknown or malformed #fragment does not stop the page from becoming interactive', async () => {
  // Each a new visit (load and open wait for data-bnkata="ready"), one after another in one context.
  const lesson = await site.open('#no-such-step');
  try {
    assertNoProblems(lesson.problems, '#no-such-step');
    for (const hash of ['#%E0%A4%A', '#step-9']) {
      await lesson.load(site.url + hash);
      assertNoProblems(lesson.problems, hash);
    }
  } finally {
    await lesson.close();
  }
});
