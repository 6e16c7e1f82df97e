// The step 3 training lab, driven as a learner drives it: by the buttons' and fields' names.
//
//   - a short run shows its plots and a text summary for every plot;
//   - the main thread never blocks for more than 50 ms while training: no task on the page's main thread
//     does more than 50 ms of work between Play and the end of the run, with a full pool of Workers
//     (thread time from a Chromium trace; a structural property of the page, not a speed);
//   - the numbers do not depend on how many Workers train the run (a link's workers= setting), for an
//     experiment whose lanes train together and for a sweep;
//   - 20 start/reset cycles leave as many live Workers, and as much memory, as one;
//   - pausing mid-run stops at a whole chunk (every lane at the same step, the plots at that step), and
//     a paused, stepped or reset run continues to exactly the numbers of an uninterrupted one;
//   - it works from file:// (Blob-URL worker, lab.js and mnist.js loaded by <script>) with no console
//     errors and no CSP violations; the settings and the speed live in the URL hash.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSite, fileUrl, toNumber, assertNoProblems, horizontalOverflow, runAxe, formatViolations, NARROW } from './lib/index.mjs';

const site = useSite();

// The main thread's own work per task while training, from a Chromium trace. Each task's *thread time*
// (CPU time of the page's main thread) is what counts: the Long Tasks API measures wall time, which on a
// shared 2-core machine also counts the time the OS gives other processes (seen here: 300 ms "long tasks"
// holding 15 ms of the page's own work). Thread time is a property of the page, not of the machine's load.
const MAIN_THREAD_BUDGET_MS = 50;
async function startWatchingMainThread(page) {
  const path = join(mkdtempSync(join(tmpdir(), 'bnkata-lab-trace-')), 'trace.json');
  await site.browser.startTracing(page, { path, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  return path;
}
async function mainThreadTasksOverBudget(path) {
  await site.browser.stopTracing();
  const events = JSON.parse(await readFile(path, 'utf8')).traceEvents;
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  assert.ok(mains.size >= 1, 'the trace has the page\'s main thread');
  const onMain = (e) => mains.has(`${e.pid}:${e.tid}`);
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && onMain(e) && typeof e.tdur === 'number');
  assert.ok(tasks.length > 10, `the trace times the main thread's tasks (${tasks.length} timed)`);
  // The budget is for training: the task that handles the learner's own click (hit-testing the whole lesson,
  // then the button's handler, which starts the Workers) comes before it.
  const clicks = events.filter((e) => e.name === 'EventDispatch' && onMain(e) && ['mousedown', 'mouseup', 'click'].includes(e.args?.data?.type));
  const handlesClick = (t) => clicks.some((c) => c.ts >= t.ts && c.ts <= t.ts + t.dur);
  return tasks.filter((t) => t.tdur / 1000 > MAIN_THREAD_BUDGET_MS && !handlesClick(t)).map((t) => ({ cpuMs: Math.round(t.tdur / 1000), wallMs: Math.round(t.dur / 1000) }));
}

async function openLab(url, options) {
  const opened = await site.open(url, options);
  // A #lab?… link scrolls the page to the lab, which then mounts (and loads dist/lab.js).
  const lab = opened.page.locator('[data-figure="training-lab"]');
  await lab.getByRole('button', { name: 'Play', exact: true }).waitFor();
  return { ...opened, lab };
}

// Lab links visited one after another in one browser context, for checks that need no browser of their
// own: the first visit opens it (openLab), each next one is a new document in the same page. close() ends it.
function labVisits(options) {
  let opened = null;
  return {
    async visit(url) {
      if (!opened) return (opened = await openLab(url, options));
      await opened.load(url);
      await opened.lab.getByRole('button', { name: 'Play', exact: true }).waitFor();
      return opened;
    },
    close: () => opened?.close(),
  };
}

const status = (lab) => lab.getAttribute('data-lab-status');
async function waitForStatus(page, states, timeout = 60000) {
  await page.waitForFunction((wanted) => wanted.includes(document.querySelector('[data-figure="training-lab"]').dataset.labStatus), states, { timeout });
}
const summaries = (lab) => lab.locator('.lab-summary').allTextContents();

test('a short run shows its plots and a words summary of each, without blocking the page', async () => {
  const { page, lab, problems, close } = await openLab(`${site.url}#lab?exp=depth&steps=200&workers=2`);
  try {
    assert.equal(await lab.getByRole('textbox', { name: 'Steps' }).inputValue(), '200', 'the URL hash set the steps');
    const trace = await startWatchingMainThread(page);
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done', 'diverged', 'error']);
    const overBudget = await mainThreadTasksOverBudget(trace);
    assert.equal(await status(lab), 'done', await lab.getByRole('status').textContent());
    assert.equal(await lab.getAttribute('data-lab-workers'), '2', 'each of the two networks trained in a Worker of its own');
    assert.deepEqual(overBudget, [], `main-thread tasks with over ${MAIN_THREAD_BUDGET_MS} ms of work while training`);

    const figures = lab.locator('figure');
    assert.equal(await figures.count(), 3, 'three plots');
    for (let i = 0; i < 3; i++) {
      const figure = figures.nth(i);
      assert.ok(await figure.locator('canvas').count() >= 1, `plot ${i} draws on a canvas`);
      const words = await figure.locator('.lab-summary').textContent();
      assert.match(words, /\d/, `plot ${i}'s summary states numbers: "${words}"`);
      assert.doesNotMatch(words, /No steps trained yet/, `plot ${i}'s summary was updated`);
      const describedBy = await figure.getAttribute('aria-describedby');
      assert.equal(await page.locator(`#${describedBy}`).textContent(), words, 'the figure is described by its summary');
    }
    assert.match((await summaries(lab))[2], /After 200 steps the test accuracy is [\d.]+ % with BN and [\d.]+ % without/);

    // Export: CSV (a block per plot), JSON (config, link, tables, summaries), PNG (one image per plot).
    const save = async (name) => {
      const [download] = await Promise.all([page.waitForEvent('download'), lab.getByRole('button', { name, exact: true }).click()]);
      return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
    };
    const csv = await save('CSV');
    assert.equal(csv.name, 'bnkata-depth-seed1.csv');
    const csvText = csv.bytes.toString('utf8');
    assert.match(csvText, /^# Spread \(std\) of each hidden layer's activations\n"hidden layer","without BN, first"/);
    assert.match(csvText, /\n# Test accuracy\n"training step","without BN","with BN"\n10,/);
    const json = JSON.parse((await save('JSON')).bytes.toString('utf8'));
    assert.equal(json.experiment, 'depth');
    assert.equal(json.values.steps, 200);
    assert.equal(json.lanes[1].config.batchnorm, 'before');
    assert.match(json.link, /#lab\?exp=depth&steps=200&workers=2$/);
    assert.equal(json.tables.accuracy.x.at(-1), 200);
    const png = await save('Plots as PNG');
    assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
    assertNoProblems(problems);
  } finally {
    await close();
  }
});

test('pause, step and reset leave whole steps, and the run continues to the same numbers', async () => {
  // Two Workers, one network each: a pause stops both at the same step.
  const { page, lab, problems, close } = await openLab(`${site.url}#lab?exp=depth&steps=400&seed=5&workers=2`);
  try {
    // The reference: one uninterrupted run.
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done']);
    const uninterrupted = await summaries(lab);

    // Again, slowly, paused as soon as some steps are done.
    await lab.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForStatus(page, ['paused']);
    assert.equal(await lab.getAttribute('data-lab-step'), '0', 'reset goes back to step 0');
    assert.match((await summaries(lab))[2], /No steps trained yet/, 'reset empties the plots');
    await lab.getByRole('combobox', { name: 'Speed' }).selectOption('slow');
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-figure="training-lab"]').dataset.labStep) >= 50);
    await lab.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForStatus(page, ['paused']);
    const pausedAt = Number(await lab.getAttribute('data-lab-step'));
    assert.ok(pausedAt > 0 && pausedAt < 400, `paused mid-run (step ${pausedAt})`);
    assert.equal(pausedAt % 10, 0, 'a pause lands on a chunk boundary (chunks of 10 steps)');
    assert.match((await summaries(lab))[2], new RegExp(`^After ${pausedAt} steps`), 'the plots show exactly the paused step');

    await lab.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction((s) => document.querySelector('[data-figure="training-lab"]').dataset.labStep === String(s), pausedAt + 10);
    await waitForStatus(page, ['paused']);
    assert.match((await summaries(lab))[2], new RegExp(`^After ${pausedAt + 10} steps`), 'Step trains one chunk');

    await lab.getByRole('combobox', { name: 'Speed' }).selectOption('full');
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done']);
    assert.deepEqual(await summaries(lab), uninterrupted, 'pausing and stepping do not change the trajectory');

    // Reset mid-run, then a full run: again the same numbers.
    await lab.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForStatus(page, ['paused']);
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await lab.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForStatus(page, ['paused']);
    assert.equal(await lab.getAttribute('data-lab-step'), '0');
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done']);
    assert.deepEqual(await summaries(lab), uninterrupted, 'a reset run reproduces the first one');
    assertNoProblems(problems);
  } finally {
    await close();
  }
});

// Runs a link to the end (a visit of labVisits `visits`) and returns what the lab exports as JSON (its
// tables hold every plotted number).
async function exportedRun(visits, url, { trace = false } = {}) {
  const { page, lab, problems } = await visits.visit(url);
  const watching = trace ? await startWatchingMainThread(page) : null;
  await lab.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForStatus(page, ['done', 'diverged', 'error'], 180000);
  const overBudget = watching ? await mainThreadTasksOverBudget(watching) : [];
  assert.equal(await status(lab), 'done', await lab.getByRole('status').textContent());
  const [download] = await Promise.all([page.waitForEvent('download'), lab.getByRole('button', { name: 'JSON', exact: true }).click()]);
  const json = JSON.parse(await readFile(await download.path(), 'utf8'));
  const workers = Number(await lab.getAttribute('data-lab-workers'));
  assertNoProblems(problems);
  return { json, workers, overBudget, summaries: await summaries(lab) };
}

test('one Worker or two: the same numbers, bit for bit, for lanes trained together and for a sweep', async () => {
  const visits = labVisits();
  try {
    for (const hash of ['exp=batch-size&steps=100', 'exp=lr-sweep&steps=50']) {
      const one = await exportedRun(visits, `${site.url}#lab?${hash}&workers=1`);
      const two = await exportedRun(visits, `${site.url}#lab?${hash}&workers=2`, { trace: true });
      assert.equal(one.workers, 1);
      assert.equal(two.workers, 2);
      assert.deepEqual(two.overBudget, [], `${hash}: main-thread tasks with over ${MAIN_THREAD_BUDGET_MS} ms of work with two Workers (the digits shared)`);
      assert.ok(one.json.tables && Object.keys(one.json.tables).length >= 1);
      assert.deepEqual(two.json.tables, one.json.tables, `${hash}: every plotted number is the same with two Workers`);
      assert.deepEqual(two.summaries, one.summaries);
      assert.equal(two.json.status.step, one.json.status.step);
      // A sweep's points arrive in lane order whichever Worker finished first.
      if (hash.includes('sweep')) assert.deepEqual(two.json.tables.lr.x, [0.03, 0.1, 0.3, 1, 3, 10, 30, 100]);
    }
  } finally {
    await visits.close();
  }
});

test('20 start/reset cycles leave two live Workers and no more memory than one cycle', async () => {
  const { page, lab, problems, close } = await openLab(`${site.url}#lab?exp=fig1&workers=2`);
  try {
    const cdp = await page.context().newCDPSession(page);
    const pageHeap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    // Playwright sees every dedicated Worker the page starts, and forgets it once it is terminated.
    const liveWorkers = async (expected) => {
      for (let i = 0; i < 200 && page.workers().length !== expected; i++) await page.waitForTimeout(50);
      return page.workers().length;
    };
    // A cycle: Play, and Reset as soon as the run is under way. The pool that Play sets training has been
    // built (its Workers started, instantiated the engine, took the digits and reported back) by the Reset
    // before it; this Reset terminates its Workers in the middle of their first chunk and builds the next.
    const cycle = async () => {
      await lab.getByRole('button', { name: 'Play', exact: true }).click();
      await waitForStatus(page, ['running']);
      await lab.getByRole('button', { name: 'Reset', exact: true }).click();
      await waitForStatus(page, ['paused']);
      assert.equal(await lab.getAttribute('data-lab-step'), '0');
    };
    // A pool's Workers report their memory each time they stop: after one Step, every live Worker has.
    const measure = async () => {
      await lab.getByRole('button', { name: 'Step', exact: true }).click();
      await page.waitForFunction(() => document.querySelector('[data-figure="training-lab"]').dataset.labWasmBytes, null, { timeout: 60000 });
      return { workers: await liveWorkers(2), wasm: Number(await lab.getAttribute('data-lab-wasm-bytes')), heap: await pageHeap() };
    };
    await cycle();
    const first = await measure();
    assert.equal(first.workers, 2, 'after a reset, the new pool\'s two Workers are the only ones alive');
    for (let i = 2; i <= 20; i++) await cycle();
    const last = await measure();
    assert.equal(last.workers, 2, 'after 20 cycles, still two Workers alive (each reset terminated the old pool)');
    assert.ok(first.wasm > 0, `the Workers reported their WebAssembly memory (${first.wasm} bytes)`);
    assert.ok(last.wasm <= first.wasm, `the live Workers' WebAssembly memory did not grow: ${first.wasm} → ${last.wasm} bytes`);
    // One pool's digits alone are 7.8 MB: a pool kept alive per cycle would show many times over.
    assert.ok(last.heap - first.heap < 4e6, `the page's JavaScript heap after 20 cycles: ${first.heap} → ${last.heap} bytes`);
    assertNoProblems(problems);
  } finally {
    await close();
  }
});

test('from file:// an MNIST run loads its digits, trains in the worker, hands its summary on, with no CSP violations', async () => {
  const { page, lab, problems, close } = await openLab(fileUrl('#lab?exp=landscape&steps=100'));
  try {
    const handed = page.evaluate(() => new Promise((resolve) => window.addEventListener('bnkata:run-summary', (e) => resolve(e.detail), { once: true })));
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done', 'diverged', 'error'], 90000);
    assert.equal(await status(lab), 'done', await lab.getByRole('status').textContent());
    const summary = await handed;
    assert.equal(summary.experiment, 'landscape');
    assert.ok(summary.with_bn.probes >= 1 && summary.without_bn.probes >= 1, 'both networks were probed');
    for (const words of await summaries(lab)) assert.match(words, /with BN and .* without/, words);
    assertNoProblems(problems);
  } finally {
    await close();
  }
});

// Links to the lab, visited one after another in one browser context (each a new document).
describe('links to the lab', () => {
  const links = labVisits();
  after(() => links.close());

  test('settings go into the URL hash; bad values are named, not obeyed', async () => {
    const { page, lab, problems } = await links.visit(`${site.url}#lab?exp=depth&steps=-3&colour=red`);
    const notice = await lab.locator('.lab-notice').textContent();
    assert.match(notice, /steps: must be at least 10/);
    assert.match(notice, /colour/);
    assert.equal(await lab.getByRole('textbox', { name: 'Steps' }).inputValue(), '2000', 'a bad value falls back to the default');
    const seed = lab.getByRole('textbox', { name: 'Seed' });
    await seed.fill('42');
    await seed.press('Enter');
    await page.waitForFunction(() => location.hash.includes('seed=42'));
    assert.match(await page.evaluate(() => location.hash), /^#lab\?exp=depth&seed=42$/);
    await seed.fill('forty');
    await seed.press('Enter');
    assert.match(await lab.locator('#lab-error-seed').textContent(), /Seed: expected a whole number/);
    assertNoProblems(problems);
  });

  test('a link to the paper-length Fig. 1 run says how it compares with the paper\'s run', async () => {
    const { page, lab, problems } = await links.visit(`${site.url}#lab?exp=fig1&steps=50000`);
    assert.equal(await lab.getByRole('combobox', { name: 'Steps' }).inputValue(), '50000', 'the link chose the paper\'s length');
    const note = lab.locator('.lab-note');
    assert.match(await note.textContent(), /50,000 steps of 60 examples\. It is not the paper's run/);
    assert.match(await note.textContent(), /all 60,000 MNIST training digits .* the lab's 8,000 training digits .* plain SGD/);
    assert.match(await note.textContent(), /each curve has 200 points/);
    await lab.getByRole('combobox', { name: 'Steps' }).selectOption('3000');
    await page.waitForFunction(() => !location.hash.includes('steps='));
    assert.equal(await note.isHidden(), true, 'the reduced run has no such note');
    assertNoProblems(problems);
  });

  test('the speed lives in the URL too: a link restores it, a bad one is named and not obeyed', async () => {
    const slow = await links.visit(`${site.url}#lab?exp=depth&seed=5&speed=slow`);
    const speed = slow.lab.getByRole('combobox', { name: 'Speed' });
    assert.equal(await speed.inputValue(), 'slow', 'the link set the speed');
    assert.equal(await slow.lab.locator('.lab-notice').isHidden(), true, 'a good link raises no notice');
    // Changing a setting keeps the speed in the link; choosing a speed writes it.
    const seed = slow.lab.getByRole('textbox', { name: 'Seed' });
    await seed.fill('6');
    await seed.press('Enter');
    await slow.page.waitForFunction(() => location.hash.includes('seed=6'));
    assert.match(await slow.page.evaluate(() => location.hash), /^#lab\?exp=depth&seed=6&speed=slow$/);
    await speed.selectOption('medium');
    await slow.page.waitForFunction(() => location.hash.includes('speed=medium'));
    await speed.selectOption('full');
    await slow.page.waitForFunction(() => !location.hash.includes('speed='));  // the default is not written
    assertNoProblems(slow.problems);
    const bad = await links.visit(`${site.url}#lab?exp=depth&speed=warp`);
    assert.match(await bad.lab.locator('.lab-notice').textContent(), /speed: expected one of slow, medium, full, got "warp"/);
    assert.equal(await bad.lab.getByRole('combobox', { name: 'Speed' }).inputValue(), 'full', 'a bad speed falls back to the default');
    assertNoProblems(bad.problems);
  });
});

test('Ioffe §2 in the page: without the gradient through μ_B the bias grows while the loss stays put', async () => {
  const { page, lab, problems, close } = await openLab(`${site.url}#lab?exp=bias-blowup`);
  try {
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done']);
    const [bias, loss] = await summaries(lab);
    const grew = bias.match(/bias norm went from ([\d.e+−]+) at step 50 to ([\d.e+−]+) at step 2000, and it is still growing/);
    assert.ok(grew, `the bias summary says it grew: ${bias}`);
    assert.ok(toNumber(grew[2]) > 100 && toNumber(grew[2]) > 20 * toNumber(grew[1]), `the bias grew from ${grew[1]} to ${grew[2]}`);
    const full = bias.match(/With the full gradient it went from ([\d.e+−]+) to ([\d.e+−]+)\./);
    assert.ok(full && toNumber(full[2]) < 1e-3, `with the full gradient the bias stays at 0: ${bias}`);
    const losses = loss.match(/went from ([\d.]+) to ([\d.]+) with μ_B treated as constant, and from ([\d.]+) to ([\d.]+) with the full gradient/);
    assert.ok(losses, loss);
    assert.equal(losses[2], losses[1], 'the loss is the same to five digits after 2,000 steps of a growing bias');
    assert.equal(losses[4], losses[3]);
    assertNoProblems(problems);
  } finally {
    await close();
  }
});

test('at 320 px in the dark scheme the lab fits, and axe finds nothing in it', async () => {
  const { page, lab, close } = await openLab(`${site.url}#lab?exp=depth&steps=100`, { viewport: NARROW, colorScheme: 'dark', bypassCSP: true });
  try {
    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForStatus(page, ['done']);
    const overflow = await horizontalOverflow(page);
    assert.deepEqual(overflow.offenders, [], `nothing wider than the viewport: ${JSON.stringify(overflow)}`);
    const violations = await runAxe(page, { context: { include: [['[data-figure="training-lab"]']] } });
    assert.deepEqual(violations, [], formatViolations(violations));
  } finally {
    await close();
  }
});
