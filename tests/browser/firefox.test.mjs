// The lesson in Firefox: Debian's Firefox ESR, driven over WebDriver BiDi (lib/firefox.mjs), on what
// matters most — the rest of the suite runs in Chromium. One Firefox for the whole file:
//
//   - from file:// and from a static host's subpath (/lesson/) the page loads, every figure starts, and
//     nothing errs, breaks the CSP or leaves the page's own files;
//   - steps 1 and 5 compute live: the seed's batch [1, 2, 3, 4] gives μ 2.5, σ² 1.25,
//     x̂ ≈ [−1.341635, −0.447212, 0.447212, 1.341635], whose variance is 0.999992;
//   - the lab's Fig. 1 run gives exactly the native engine's numbers (`bnkata train`, same config) — the
//     engine is bit-identical in every build — and grades the prediction made before it;
//   - one exercise of every other answer kind is graded correct, answered from the exercise's own data
//     (exercises-helpers.mjs answerFor); export → import into a fresh context keeps every verdict;
//   - Tab from the top of the page reaches the first exercise's first field; at 320 px nothing scrolls
//     sideways (both checked on those two loads: each load of the lesson is a large share of the file's time).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveSite, fileUrl, assertNoProblems, horizontalOverflow, toNumber, assertClose, NARROW } from './lib/index.mjs';
import { launchFirefox, openLessonInFirefox, byRole, mountFigureInFirefox, mountAllFiguresInFirefox } from './lib/firefox.mjs';
import { answerFor, cliCompute, cliPath } from './exercises-helpers.mjs';
import { ensureCache, inflateAsset } from '../../scripts/build-mnist.mjs';

// Resolves once the browser has saved the download `name` into `dir` (Firefox writes NAME.part first,
// then renames it). Resolves to its text.
// The file appears as soon as Firefox starts to write it: wait until it is there, not empty, and the same
// size on two looks 100 ms apart.
async function downloaded(dir, name) {
  const file = path.join(dir, name);
  const size = () => (existsSync(file) ? statSync(file).size : -1);
  let last = -1;
  for (let i = 0; i < 600; i++) {
    const now = size();
    if (now > 0 && now === last) break;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(size() > 0, `the browser saved ${name}`);
  return readFileSync(file, 'utf8');
}

// Runs in the page: the MathML scripts and limits whose number of children is not what MathML requires
// (two for a base with one script, three for both), as "tag: text". lib/firefox.mjs explains why.
function malformedMathML() {
  const wanted = { msub: 2, msup: 2, mover: 2, munder: 2, mfrac: 2, msubsup: 3, munderover: 3 };
  return Array.from(document.querySelectorAll(Object.keys(wanted).join(',')))
    .filter((el) => el.children.length !== wanted[el.localName])
    .map((el) => `${el.localName}: ${el.textContent.slice(0, 60)}`);
}

// { header text: [cell texts] } of a table, for reading the figures' results.
const tableRows = (table) => table.evaluate((t) => Object.fromEntries(Array.from(t.querySelectorAll('tr'), (tr) => {
  const head = tr.querySelector('th');
  return [head ? head.textContent.trim() : '', Array.from(tr.querySelectorAll('td'), (td) => td.textContent)];
})));

// Control+A: selects everything in the focused field or editor.
async function selectAll(page) {
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
}

// Types `text` into a text field as a learner does: focus it, select what is there, type over it.
async function typeInto(page, field, text) {
  await field.focus();
  await selectAll(page);
  await page.keyboard.type(text);
}

describe('the lesson in Firefox ESR', () => {
  let browser;
  let site;
  let downloads;

  before(async () => {
    browser = await launchFirefox();
    site = await serveSite({ base: '/lesson/' });
    downloads = mkdtempSync(path.join(tmpdir(), 'bnkata-firefox-'));
  });

  after(async () => {
    await site?.close();
    await browser?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  // Every figure mounted, none failed, the formulas whole, and nothing went wrong on the way.
  async function assertEveryFigureStarts(page, problems, label) {
    const states = await mountAllFiguresInFirefox(page);
    assert.deepEqual(Object.entries(states).filter(([, state]) => state === 'failed'), [], 'figures that failed to mount');
    assert.ok(Object.values(states).includes('mounted'), 'at least one figure is live');
    assert.deepEqual(await page.evaluate(malformedMathML), [], 'MathML elements with the wrong number of children');
    assertNoProblems(problems, label);
  }

  test('over http under the subpath /lesson/ the lesson loads, Tab from the top reaches the first exercise’s first field with a visible focus ring, every figure starts, and nothing errs, breaks the CSP or leaves its own files', async () => {
    const { page, problems, close: closePage } = await openLessonInFirefox(browser, site.url);
    try {
      const first = cliCompute({ op: 'exercise_catalog' }).exercises[0].id;
      let reached = null;
      for (let presses = 1; presses <= 200 && !reached; presses++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate((id) => {
          const el = document.activeElement;
          const field = document.querySelector(`article[data-exercise="${id}"] input, article[data-exercise="${id}"] textarea`);
          return el && el === field ? { focusVisible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle } : null;
        }, first);
      }
      assert.ok(reached, `Tab reached the first field of ${first}`);
      assert.ok(reached.focusVisible && reached.outline !== 'none', `the field shows where focus is: ${JSON.stringify(reached)}`);
      await assertEveryFigureStarts(page, problems, 'Firefox, http under /lesson/');
    } finally {
      await closePage();
    }
  });

  test('over file:// at 320 px wide the lesson loads, every figure starts, nothing scrolls horizontally, and nothing errs, breaks the CSP or leaves its own files', async () => {
    const { page, problems, close: closePage } = await openLessonInFirefox(browser, fileUrl(), { viewport: NARROW });
    try {
      await assertEveryFigureStarts(page, problems, 'Firefox, file://, 320 px');
      const overflow = await horizontalOverflow(page);
      assert.ok(overflow.scrollWidth <= overflow.clientWidth && !overflow.offenders.length,
        `page is ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px viewport; sticking out: ${overflow.offenders.join(', ')}`);
    } finally {
      await closePage();
    }
  });

  test('step 1 normalizes the seed’s batch live: μ 2.5, σ² 1.25, x̂ ≈ [−1.341635, −0.447212, 0.447212, 1.341635]; step 5 shows var(x̂) = 0.999992', async () => {
    const { page, problems, close: closePage } = await openLessonInFirefox(browser, `${site.url}#step-1`);
    try {
      const step1 = await mountFigureInFirefox(page, '#step-1 [data-figure="normalize"]');
      await (await byRole(step1, 'button', 'The seed’s batch 1, 2, 3, 4')).click();
      const statistics = await byRole(step1, 'table', 'Batch statistics');
      let stats = await tableRows(statistics);
      assert.equal(toNumber(stats['Mean μB'][0]), 2.5);
      assert.equal(toNumber(stats['Variance σ²B'][0]), 1.25);
      const xhat = await (await byRole(step1, 'table', 'Each value and its normalized value'))
        .evaluate((t) => Array.from(t.tBodies[0].rows, (tr) => tr.cells[2].textContent));
      [-1.341635, -0.447212, 0.447212, 1.341635].forEach((want, i) => assertClose(toNumber(xhat[i]), want, 1e-6, `x̂${i + 1}`));
      assert.equal(toNumber(stats['Variance of x̂'][0]), 0.999992);

      await typeInto(page, await byRole(step1, 'textbox', 'Batch x'), '2, 4, 6, 8');
      stats = await tableRows(statistics);
      assert.equal(toNumber(stats['Mean μB'][0]), 5, 'typing a batch updates μ');
      assert.equal(toNumber(stats['Variance σ²B'][0]), 5, 'and σ²');

      const step5 = await mountFigureInFirefox(page, '#step-5 [data-figure="verify"]');
      const stages = await byRole(step5, 'table', 'Mean and variance after each stage');
      const stage = async (what) => {
        const [, cells] = Object.entries(await tableRows(stages)).find(([head]) => head.includes(what));
        return { values: cells[0].split(',').map(toNumber), mean: toNumber(cells[1]), variance: toNumber(cells[2]) };
      };
      const x = await stage('the batch as given');
      assert.deepEqual([x.values, x.mean, x.variance], [[1, 2, 3, 4], 2.5, 1.25]);
      const normalized = await stage('normalized');
      [-1.341635, -0.447212, 0.447212, 1.341635].forEach((want, i) => assertClose(normalized.values[i], want, 1e-6, `step 5 x̂${i + 1}`));
      assert.equal(normalized.variance, 0.999992);
      await typeInto(page, await byRole(step5, 'textbox', 'γ (scale)'), '2');
      await typeInto(page, await byRole(step5, 'textbox', 'β (shift)'), '0.5');
      const y = await stage('scaled and shifted');
      assert.equal(y.mean, 0.5);
      assert.equal(y.variance, 3.999968);
      assertNoProblems(problems, 'Firefox, steps 1 and 5');
    } finally {
      await closePage();
    }
  });

  describe('a learner’s session: predict, run Fig. 1, answer every kind of exercise, export and import', () => {
    let lesson;
    let seed;
    const card = (id) => lesson.page.waitForSelector(`article[data-exercise="${id}"]`);
    const exerciseList = (step) => mountFigureInFirefox(lesson.page, `[data-figure="exercises"][data-step="${step}"]`);
    const verdicts = () => lesson.page.evaluate(() => Object.fromEntries(
      Array.from(document.querySelectorAll('article[data-exercise]'), (a) => [a.dataset.exercise, a.dataset.verdict])));

    // Answers the exercise `id` from its own data and checks it; resolves to the verdict's text.
    async function answer(id) {
      const { page } = lesson;
      const ex = cliCompute({ op: 'exercise', id, seed });
      const given = answerFor(ex);
      const c = await card(id);
      await c.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      const before = await c.evaluate((el) => el.querySelector('.exercise-status').textContent);
      if (given.fields) {
        for (const [name, text] of Object.entries(given.fields)) {
          await typeInto(page, await byRole(c, 'textbox', ex.fields.find((f) => f.name === name).label), text);
        }
      } else if (given.statements) {
        // Every true statement the seed drew.
        for (const option of ex.options.filter((o) => given.statements.some((re) => re.test(o.text)))) {
          await (await byRole(c, 'checkbox', option.text)).click();
        }
      } else if (given.option || given.options) {
        for (const re of given.options || [given.option]) {
          const option = ex.options.find((o) => re.test(o.text));
          assert.ok(option, `${id}: an option matches ${re}`);
          await (await byRole(c, given.options ? 'checkbox' : 'radio', option.text)).click();
        }
      } else if (given.code) {
        // A key pressed in the editor (or the pointer passing over it) loads CodeMirror, which takes its
        // place; the learner then clicks into it.
        const fallback = await c.$('textarea.code-fallback');
        if (fallback) {
          await fallback.focus();
          await page.keyboard.press('End');
        }
        const content = await page.waitForFunction((el) => el.querySelector('.code-editor')?.shadowRoot?.querySelector('.cm-content'),
          { timeout: 30000 }, c);
        await content.click();
        await selectAll(page);
        await page.keyboard.type(given.code);
      } else if (given.paste) {
        await typeInto(page, await byRole(c, 'textbox', 'What your script printed'), given.paste);
      }
      await (await byRole(c, 'button', given.code ? 'Run and check' : 'Check')).click();
      await page.waitForFunction((el, was) => el.querySelector('.exercise-status').textContent !== was && !el.querySelector('.code-running'),
        { timeout: 30000 }, c, before);
      return c.evaluate((el) => el.querySelector('.verdict').textContent);
    }

    before(async () => {
      lesson = await openLessonInFirefox(browser, `${site.url}#lab?exp=fig1`, { downloadPath: downloads });
      const text = await lesson.page.evaluate(() => document.querySelector('.progress-seed').textContent);
      seed = Number(/seed,? (\d+)/.exec(text)[1]);
    });
    after(async () => { await lesson?.close(); });

    test('the prediction made before the Fig. 1 run is graded against it, and the run has the native engine’s numbers', async () => {
      const { page } = lesson;
      await exerciseList(3);
      const predict = await card('s3-fig1-accuracy');
      assert.match(await predict.evaluate((el) => el.querySelector('.exercise-run').textContent), /No run yet/);
      const ex = cliCompute({ op: 'exercise', id: 's3-fig1-accuracy', seed });
      const prediction = ex.options.find((o) => answerFor(ex).option.test(o.text));
      await (await byRole(predict, 'radio', prediction.text)).click();

      const lab = await mountFigureInFirefox(page, '[data-figure="training-lab"]');
      await lab.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await (await byRole(lab, 'button', 'Play')).click();
      await page.waitForFunction((el) => ['done', 'diverged', 'error'].includes(el.dataset.labStatus), { timeout: 10 * 60 * 1000 }, lab);
      assert.equal(await lab.evaluate((el) => el.dataset.labStatus), 'done', await lab.evaluate((el) => el.querySelector('[role="status"]').textContent));

      // The run as the lab exports it, against `bnkata train` on each lane's config, chunk by chunk.
      await (await byRole(lab, 'button', 'JSON')).click();
      const run = JSON.parse(await downloaded(downloads, 'bnkata-fig1-seed1.json'));
      assert.equal(run.experiment, 'fig1');
      const steps = run.status.step;
      const every = run.tables.accuracy.x[0];
      assert.ok(steps >= 1000 && every > 0, `a whole run (${steps} steps, a point every ${every})`);
      const mnist = path.join(downloads, 'mnist-10k.u8');
      writeFileSync(mnist, inflateAsset(ensureCache()));
      for (const { key, config } of run.lanes) {
        const configFile = path.join(downloads, `fig1-${key}.json`);
        writeFileSync(configFile, JSON.stringify(config));
        const native = execFileSync(cliPath(), ['train', configFile, '--steps', String(steps), '--every', String(every), '--mnist', mnist],
          { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n').map((line) => JSON.parse(line));
        assert.deepEqual(run.tables.accuracy.x, native.map((r) => r.step), `${key}: the same chunks`);
        assert.deepEqual(run.tables.accuracy.series[key], native.map((r) => r.test.accuracy), `${key}: test accuracy, chunk by chunk`);
        for (const p of ['p15', 'p50', 'p85']) {
          assert.deepEqual(run.tables[`pct-${key}`].series[p], native.map((r) => r.monitor[p]), `${key}: the watched sigmoid input's ${p}`);
        }
        const side = key === 'bn' ? 'with_bn' : 'without_bn';
        assert.equal(run.run_summary[side].final_loss, native.at(-1).test.loss, `${key}: final test loss, in the engine's run summary`);
      }

      await predict.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      assert.match(await predict.evaluate((el) => el.querySelector('.exercise-run').textContent), /Run available/);
      await (await byRole(predict, 'button', 'Check')).click();
      await page.waitForFunction((el) => el.dataset.verdict !== 'none', { timeout: 30000 }, predict);
      assert.equal(await predict.evaluate((el) => el.dataset.verdict), 'correct',
        await predict.evaluate((el) => el.querySelector('.verdict').textContent));
    });

    test('one exercise of every other answer kind is graded correct: numeric, vector, formula, choice, multi, code, paste', async () => {
      const kinds = { 's1-mean-var': 'numeric', 's4-fold': 'vector', 's1-formula': 'formula', 's1-constant-batch': 'choice',
        's2-bias': 'multi', 's5-forward-code': 'code', 's5-numpy-paste': 'paste' };
      for (const [id, kind] of Object.entries(kinds)) {
        const step = Number(id[1]);
        await exerciseList(step);
        assert.equal(cliCompute({ op: 'exercise', id, seed }).kind, kind, `${id} is a ${kind} exercise`);
        const verdict = await answer(id);
        assert.equal(await (await card(id)).evaluate((el) => el.dataset.verdict), 'correct', `${id} (${kind}): ${verdict}`);
      }
      assertNoProblems(lesson.problems, 'Firefox, the learner’s session');
    });

    test('export → import into a fresh context gives back every verdict', async () => {
      for (let step = 1; step <= 5; step++) await exerciseList(step);
      const exported = await verdicts();
      assert.equal(Object.values(exported).filter((v) => v === 'correct').length, 8, JSON.stringify(exported));
      const panel = await mountFigureInFirefox(lesson.page, '[data-figure="exercise-progress"]');
      await (await byRole(panel, 'button', 'Export answers')).click();
      const file = JSON.parse(await downloaded(downloads, `bnkata-answers-seed-${seed}.json`));
      assert.equal(file.format, 'bnkata-answers');

      const fresh = await openLessonInFirefox(browser, site.url);
      try {
        const freshPanel = await mountFigureInFirefox(fresh.page, '[data-figure="exercise-progress"]');
        // The file chooser that the label "Import answers…" opens.
        const input = await freshPanel.evaluateHandle((panel) => Array.from(panel.querySelectorAll('label'))
          .find((label) => label.textContent.trim() === 'Import answers…').control);
        await input.uploadFile(path.join(downloads, `bnkata-answers-seed-${seed}.json`));
        await fresh.page.waitForFunction(() => /^Imported \d+ answers/.test(document.querySelector('.progress-import-status')?.textContent ?? ''), { timeout: 30000 });
        await mountAllFiguresInFirefox(fresh.page);
        const imported = await fresh.page.evaluate(() => Object.fromEntries(
          Array.from(document.querySelectorAll('article[data-exercise]'), (a) => [a.dataset.exercise, a.dataset.verdict])));
        assert.deepEqual(imported, exported);
        assertNoProblems(fresh.problems, 'Firefox, importing page');
      } finally {
        await fresh.close();
      }
    });
  });
});
