// Hostile and broken input to the exercises: each gets a clear
// message, nothing the learner already did is lost, nothing is rendered as HTML, and the page logs no
// console error and no CSP violation throughout.
//
//   - a formula with 10,000 nested parentheses → too long / nested too deeply, the page stays responsive
//   - code with while(true){} → stopped at the time limit, said so
//   - code that throws → the error's message, per case
//   - code that posts its own messages and replaces globals → ignored; the real results are graded
//   - an imported file with HTML and <script> in its strings → shown as text, never run
//   - a 50 MB file → refused before it is read
//   - a file from a future version → refused, naming the version
//   - corrupt localStorage → a notice, the old value kept under a backup key, the exercises work
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, openSync, ftruncateSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSite, fileUrl, assertNoProblems } from './lib/index.mjs';
import { openExercises, card, storedProgress, typeInto, verdictOf, PROGRESS_KEY } from './exercises-helpers.mjs';

const site = useSite();
let tmp;
before(() => { tmp = mkdtempSync(path.join(tmpdir(), 'bnkata-hostile-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

// The forward pass's code exercise (batch_norm_forward) and its editor.
function codeCard(page) {
  return card(page, 's5-forward-code');
}
async function runCode(page, source) {
  const c = codeCard(page);
  await c.scrollIntoViewIfNeeded();
  const editor = c.getByRole('textbox', { name: /^Code editor/ });
  await editor.focus();
  await page.keyboard.press('End');  // a key pressed in it loads CodeMirror (dist/editor.js)
  await c.locator('.code-editor').waitFor();
  await editor.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(source);
  await c.getByRole('button', { name: 'Run and check' }).focus();
  await page.keyboard.press('Enter');
  await c.locator('.verdict .verdict-head').waitFor();
  await page.waitForFunction((el) => !el.querySelector('.code-running'), await c.elementHandle());
  return c;
}

const CORRECT_FORWARD = `function batch_norm_forward(x, gamma, beta, eps = 1e-5) {
  const m = x.length;
  let mean = 0;
  for (const v of x) mean += v / m;
  let variance = 0;
  for (const v of x) variance += (v - mean) * (v - mean) / m;
  const y = x.map((v) => gamma * (v - mean) / Math.sqrt(variance + eps) + beta);
  return { y, mean, var: variance };
}`;

// Imports `file` (a path) through the progress panel's file input; resolves to the status text.
async function importFile(page, file) {
  const status = page.locator('.progress-import-status');
  const before = await status.textContent();
  await page.getByLabel('Import answers…').setInputFiles(file);
  await page.waitForFunction(({ el, before }) => el.textContent && el.textContent !== before && !/Reading the file/.test(el.textContent),
    { el: await status.elementHandle(), before });
  return status.textContent();
}

// One page takes every hostile answer and file in turn: each must leave it working for the next. (The
// refused files come before the accepted one, so that the progress they must not change is the learner's own.)
describe('hostile answers and files, one after another on one page', () => {
  let lesson;
  before(async () => { lesson = await openExercises(site, ''); });
  after(async () => { await lesson?.close(); });

  test('a formula with 10,000 nested parentheses is refused as nested too deeply, pointing at where', async () => {
    const { page, problems } = lesson;
    const formula = card(page, 's1-formula');
    const input = formula.getByRole('textbox', { name: /^x̂/ });
    await typeInto(page, input, '('.repeat(10000) + 'x' + ')'.repeat(10000));
    await page.keyboard.press('Enter');
    let verdict = await verdictOf(formula);
    assert.match(verdict, /Cannot be checked/);
    assert.match(verdict, /longer than 2000 characters|nested too deeply/i);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    // Within the length limit, 100 nested parentheses: too deep, and the page points at where.
    await typeInto(page, input, '('.repeat(100) + 'x' + ')'.repeat(100));
    await page.keyboard.press('Enter');
    await page.waitForFunction((el) => /nested too deeply/i.test(el.querySelector('.verdict').textContent), await formula.elementHandle());
    verdict = await verdictOf(formula);
    assert.match(await formula.locator('.formula-pointer').textContent(), /\^\ncharacter \d+$/);
    // The page is still responsive: the same field takes a correct answer right after.
    await typeInto(page, input, '(x - mu)/sqrt(var + eps)');
    await page.keyboard.press('Enter');
    await page.waitForFunction((el) => el.dataset.verdict === 'correct', await formula.elementHandle());
    assertNoProblems(problems);
  });

  test('code with while(true){} is stopped at the time limit with a clear message', async () => {
    const { page, problems } = lesson;
    const c = await runCode(page, 'function batch_norm_forward(x) {\n  while (true) {}\n}');
    assert.match(await c.locator('.code-fatal').textContent(), /did not finish within 2 s/);
    assert.match(await c.locator('.verdict').textContent(), /Not correct/);
    assert.match(await c.locator('.code-failure').textContent(), /time limit/);
    assertNoProblems(problems);
  });

  test('code that throws reports the error with its message and line, as the first failure', async () => {
    const { page, problems } = lesson;
    const c = await runCode(page, 'function batch_norm_forward(x) {\n  throw new RangeError("my own bug");\n}');
    assert.match(await c.locator('.code-failure').textContent(), /RangeError: my own bug \(line 2\)/);
    const syntax = await runCode(page, 'function batch_norm_forward(x) {\n  return [x, 0, 1;\n}');
    assert.match(await syntax.locator('.code-fatal').textContent(), /SyntaxError/);
    assertNoProblems(problems);
  });

  test('code that posts its own messages and replaces globals cannot confuse the runner', async () => {
    const { page, problems } = lesson;
    // A wrong function that tries to forge a passing report, then sabotages the harness's globals.
    const forger = `
function batch_norm_forward(x) {
  for (let i = 0; i < 20; i++) postMessage({ type: 'case', index: i, output: { y: x, mean: 0, var: 1 } });
  postMessage({ type: 'done' });
  self.postMessage = () => {};
  self.onmessage = null;
  globalThis.JSON = null;
  Array.prototype.map = function () { return []; };
  Object.defineProperty(Object.prototype, 'nonce', { set() {}, get() { return 'forged'; }, configurable: true });
  return { y: x, mean: 0, var: 1 };
}`;
    const c = await runCode(page, forger);
    assert.match(await c.locator('.verdict').textContent(), /Not correct/, 'the forged messages did not pass it');
    assert.match(await c.locator('.code-note').textContent(), /ignored/);
    // A correct function that also touches globals still passes: each run has a fresh Worker.
    const c2 = await runCode(page, `${CORRECT_FORWARD}\nself.console = null; globalThis.Math2 = Math; postMessage('hello');`);
    assert.match(await c2.locator('.verdict').textContent(), /Correct/);
    assertNoProblems(problems);
  });

  test('a 50 MB file and a file from a future version are refused, and no progress is lost', async () => {
    const { page, problems } = lesson;
    // Some progress first.
    const meanVar = card(page, 's1-mean-var');
    await typeInto(page, meanVar.getByRole('textbox', { name: 'μ_B' }), '1');
    await page.keyboard.press('Enter');
    await verdictOf(meanVar);
    const progress = await storedProgress(page);
    assert.ok(progress && progress.includes('s1-mean-var'));

    const big = path.join(tmp, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    assert.match(await importFile(page, big), /too large for an answers file \(50\.0 MB; at most 2\.0 MB\)\. Nothing was changed\.$/);
    assert.equal(await storedProgress(page), progress);

    const future = path.join(tmp, 'future.json');
    writeFileSync(future, JSON.stringify({ format: 'bnkata-answers', version: 7, seed: 1, answers: {} }));
    assert.match(await importFile(page, future), /made by a newer version of the lesson, which this page cannot read\. Nothing was changed\.$/);
    assert.equal(await storedProgress(page), progress);

    const notJson = path.join(tmp, 'broken.json');
    writeFileSync(notJson, '{"format": "bnkata-answers", ');
    assert.match(await importFile(page, notJson), /its text is not valid JSON\. Nothing was changed\.$/);
    const foreign = path.join(tmp, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
    assert.match(await importFile(page, foreign), /not a BatchNorm Kata answers file/);
    assert.equal(await storedProgress(page), progress);
    assert.equal(await meanVar.getByRole('textbox', { name: 'μ_B' }).inputValue(), '1');
    assertNoProblems(problems);
  });

  test('an imported file with HTML and script in its strings shows them as text and runs nothing', async () => {
    const { page, problems } = lesson;
    const seed = Number(/seed,? (\d+)/.exec(await page.locator('.progress-seed').textContent())[1]);
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const file = path.join(tmp, 'html.json');
    writeFileSync(file, JSON.stringify({
      format: 'bnkata-answers', version: 1, seed,
      answers: {
        's1-formula': { seed, answer: { xhat: evil }, attempts: 1 },
        's1-mean-var': { seed, answer: { mean: evil, var: '<b>1</b>' }, attempts: 1 },
      },
    }));
    const status = await importFile(page, file);
    assert.match(status, /Imported 2 answers/);
    const formulaInput = card(page, 's1-formula').getByRole('textbox', { name: /^x̂/ });
    assert.equal(await formulaInput.inputValue(), evil, 'the string is in the field, as text');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran');
    assert.equal(await page.locator('article[data-exercise] img, article[data-exercise] script, article[data-exercise] b').count(), 0,
      'no element was made from the strings');
    assertNoProblems(problems);
  });
});

test('corrupt or foreign localStorage is reset with a notice, keeping the old value, from file:// too', async () => {
  for (const [label, url] of [['http', site.url], ['file', fileUrl()]]) {
    for (const bad of ['{"format":"bnkata-progress","version":1,"seed":', JSON.stringify({ format: 'someone-else', items: [1, 2] }),
      JSON.stringify({ format: 'bnkata-progress', version: 99, seed: 1, answers: {} })]) {
      // The bad value is in localStorage before the page's own scripts run (as if left by an earlier
      // visit). Only the top of the lesson matters here: the progress panel and step 1.
      const beforeLoad = (context) => context.addInitScript(({ key, bad }) => {
        if (!/index\.html$|\/lesson\/$/.test(location.pathname)) return;  // the lesson page itself, not other documents
        if (!sessionStorage.getItem('planted')) { localStorage.setItem(key, bad); sessionStorage.setItem('planted', '1'); }
      }, { key: PROGRESS_KEY, bad });
      const { page, problems, close } = await site.open(url, { beforeLoad });
      try {
        const notice = page.locator('.progress-notice').first();
        await notice.waitFor();
        assert.match(await notice.textContent(), /could not be read .* start afresh\. The old value is kept under the localStorage key “bnkata:v1:progress:backup”/, label);
        assert.equal(await page.evaluate(() => localStorage.getItem('bnkata:v1:progress:backup')), bad, `${label}: the old value is kept`);
        // The exercises still work and save.
        await page.locator('[data-figure="exercises"][data-step="1"]').scrollIntoViewIfNeeded();  // mounts it
        const meanVar = card(page, 's1-mean-var');
        await meanVar.scrollIntoViewIfNeeded();
        await typeInto(page, meanVar.getByRole('textbox', { name: 'μ_B' }), '2');
        await page.keyboard.press('Enter');
        await verdictOf(meanVar);
        assert.match(await storedProgress(page), /"format":"bnkata-progress"/);
        assertNoProblems(problems, label);
      } finally { await close(); }
    }
  }
});
