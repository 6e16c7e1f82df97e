// The exercises of all five steps, driven by keyboard as a learner drives them:
//
//   - the whole lesson can be completed: every exercise gets a "correct" verdict. The answers are worked
//     out from each exercise's own data (asked from the native CLI with the page's seed), by the tests'
//     own arithmetic (exercises-helpers.mjs) — never from the exercise's solution. The NumPy paste is what python3's
//     NumPy really prints for the kata's script. Step 3's predictions are made first, then the runs are
//     handed over with the lab's event (fig1 and bias-blowup: summaries of real native runs);
//   - a wrong answer names the mistake (unbiased variance, ε outside the root, flipped momentum);
//   - progress (answers, verdicts, attempts, hints) survives a reload;
//   - export → import into a fresh browser gives the same verdicts, and `bnkata check` on the exported
//     file gives them too;
//   - the instructor's URL parameters: seed, hidden solutions, locked steps;
//   - the step 2 sigmoid-range figure answers its sliders; the exercises pass axe in light and dark, and
//     fit 320 px; the code runner and the editor work from file:// too;
//   - no console error, no CSP violation, no request outside the page's own files, anywhere.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSite, fileUrl, assertNoProblems, runAxe, formatViolations, horizontalOverflow, NARROW } from './lib/index.mjs';
import {
  openExercises, reloadExercises, card, storedProgress, pageSeed, typeInto, cliCompute, cliCheck,
  meanOf, biasedVar, unbiasedVar, num, FORWARD_SOURCE, RUNS, answerFor, numpyPrints,
} from './exercises-helpers.mjs';

const site = useSite();
let tmp;
before(() => { tmp = mkdtempSync(path.join(tmpdir(), 'bnkata-exercises-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

// ---------------------------------------------------------------------------------------------------
// Keyboard driving

// Presses Tab until `target` has focus (at most `limit` times): how a learner reaches the next control.
async function tabTo(page, target, limit = 40) {
  const handle = await target.elementHandle();
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((el) => document.activeElement === el, handle)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach ${await target.textContent()}`);
}

async function checkButton(c) {
  return c.getByRole('button', { name: /^(Check|Run and check)$/ });
}

// The text box of the field named `name` (found by its label, as a learner finds it).
function fieldBox(c, ex, name) {
  const field = ex.fields.find((f) => f.name === name);
  assert.ok(field, `${ex.id} has a field ${name}`);
  return c.getByRole('textbox', { name: field.label, exact: true });
}

// Answers one exercise card by keyboard and waits for its verdict; resolves to the verdict text.
async function answerByKeyboard(page, c, answer, ex) {
  // Checked when the status changes, or (for an answer that cannot be checked, which is not an attempt and
  // leaves the status alone) when the verdict does.
  const before = await c.locator('.exercise-status').textContent();
  const verdictBefore = await c.locator('.verdict').textContent();
  if (answer.fields) {
    const names = Object.keys(answer.fields);
    await fieldBox(c, ex, names[0]).focus();
    for (let i = 0; i < names.length; i++) {
      if (i > 0) await tabTo(page, fieldBox(c, ex, names[i]));
      await page.keyboard.press('Control+A');
      await page.keyboard.type(answer.fields[names[i]]);
    }
    await page.keyboard.press('Enter');  // Enter in a field checks the answer
  } else if (answer.option || answer.options || answer.statements) {
    const wanted = answer.options || (answer.option ? [answer.option] : []);
    const boxes = c.locator('.answer-option');
    const texts = await boxes.locator('label').allTextContents();
    const targets = answer.statements
      ? texts.map((t, i) => (answer.statements.some((re) => re.test(t)) ? i : -1)).filter((i) => i >= 0)
      : wanted.map((re) => {
        const i = texts.findIndex((t) => re.test(t));
        assert.ok(i >= 0, `no option matches ${re} in ${JSON.stringify(texts)}`);
        return i;
      });
    const multi = (await boxes.first().locator('input').getAttribute('type')) === 'checkbox';
    const locked = await boxes.first().locator('input').isDisabled();  // a prediction locked by its run
    if (!locked) await boxes.first().locator('input').focus();
    if (locked) {
      assert.ok(await boxes.nth(targets[0]).locator('input').isChecked(), 'the locked prediction is the one made');
      await (await checkButton(c)).focus();
    } else if (multi) {
      for (let i = 0; i < texts.length; i++) {
        if (i > 0) await page.keyboard.press('Tab');
        const checked = await boxes.nth(i).locator('input').isChecked();
        if (checked !== targets.includes(i)) await page.keyboard.press('Space');
      }
    } else {
      // Arrow keys move the selection within a radio group.
      if (!(await boxes.nth(0).locator('input').isChecked())) await page.keyboard.press('Space');
      for (let i = 0; i < targets[0]; i++) await page.keyboard.press('ArrowDown');
    }
    if (!locked) await tabTo(page, await checkButton(c));
    await page.keyboard.press('Enter');
  } else if (answer.code) {
    // A key pressed in the editor loads CodeMirror (dist/editor.js), which takes over text, caret and focus.
    await c.getByRole('textbox', { name: /^Code editor/ }).focus();
    await page.keyboard.press('End');
    await c.locator('.code-editor').waitFor();
    await c.getByRole('textbox', { name: /^Code editor/ }).focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(answer.code);  // as a paste arrives: key by key costs seconds per exercise
    await page.keyboard.press('Tab');  // Tab leaves the editor: the next control is the run button
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Run and check', 'Tab moved from the editor to Run and check');
    await page.keyboard.press('Enter');
  } else if (answer.paste) {
    await c.getByRole('textbox', { name: 'What your script printed' }).focus();
    await page.keyboard.insertText(answer.paste);  // a paste
    await tabTo(page, await checkButton(c));
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(({ el, before, verdictBefore }) => (el.querySelector('.exercise-status').textContent !== before ||
    el.querySelector('.verdict').textContent !== verdictBefore) && !el.querySelector('.code-running'),
  { el: await c.elementHandle(), before, verdictBefore });
  return c.locator('.verdict').textContent();
}

// The exercise (id) as the native core generates it for `seed`.
const generated = new Map();
function exerciseFor(id, seed) {
  const key = `${id}@${seed}`;
  if (!generated.has(key)) generated.set(key, cliCompute({ op: 'exercise', id, seed }));
  return generated.get(key);
}

// Answers the exercise `id` on the page (seed read from it) by keyboard.
async function answer(page, id, given) {
  const c = card(page, id);
  await c.scrollIntoViewIfNeeded();
  return answerByKeyboard(page, c, given, exerciseFor(id, await pageSeed(page)));
}

// Chooses a prediction by keyboard without checking it (made before the run).
async function predictOnly(page, id, re) {
  const c = card(page, id);
  await c.scrollIntoViewIfNeeded();
  const boxes = c.locator('.answer-option');
  const texts = await boxes.locator('label').allTextContents();
  const target = texts.findIndex((t) => re.test(t));
  assert.ok(target >= 0, `no option matches ${re}`);
  await boxes.first().locator('input').focus();
  if (!(await boxes.nth(0).locator('input').isChecked())) await page.keyboard.press('Space');
  for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
  // The moment of the prediction is stored at once, so a run arriving next finds it.
  await page.waitForFunction((id) => Object.values(JSON.parse(localStorage.getItem('bnkata:v1:progress')).answers)
    .some((bySeed) => bySeed[id] && bySeed[id].predictedAt), id);
}

// Makes every step-3 prediction (the paper's answers), before any run exists.
async function predictStep3(page) {
  const seed = await pageSeed(page);
  for (const id of ['s3-fig1-accuracy', 's3-fig1-drift', 's3-lr-sweep', 's3-bias-blowup']) {
    await predictOnly(page, id, answerFor(exerciseFor(id, seed)).option);
  }
}

async function handOverRuns(page) {
  for (const run of Object.values(RUNS)) {
    await page.evaluate((detail) => window.dispatchEvent(new CustomEvent('bnkata:run-summary', { detail })), run);
  }
}

// Completes every exercise of the lesson; resolves to the catalog.
async function completeLesson(page) {
  const seed = await pageSeed(page);
  const catalog = cliCompute({ op: 'exercise_catalog' }).exercises;
  assert.ok(catalog.length >= 15, `the catalog lists the kata's exercises (${catalog.length})`);
  for (const entry of catalog) {
    const ex = cliCompute({ op: 'exercise', id: entry.id, seed });
    const answer = answerFor(ex);
    const c = card(page, entry.id);
    await c.scrollIntoViewIfNeeded();
    if (answer.run) {
      assert.match(await c.locator('.exercise-run').textContent(), /Run available|No run yet/);
    }
    const verdict = await answerByKeyboard(page, c, answer, ex);
    assert.equal(await c.getAttribute('data-verdict'), 'correct', `${entry.id}: ${verdict}`);
    assert.match(verdict, /Tolerance: /, `${entry.id} states its tolerance`);
  }
  return catalog;
}

// ---------------------------------------------------------------------------------------------------

// One learner's session on one page: every exercise answered, then the answers exported and imported
// into a fresh browser.
describe('a learner completes the lesson, exports the answers and imports them elsewhere', () => {
  let first;
  before(async () => { first = await openExercises(site, ''); });
  after(async () => { await first?.close(); });

  test('a learner completes every exercise of the lesson by keyboard, and the page says so', async () => {
    const { page, problems } = first;
    // Step 3 asks for a run first: before it, the page says so. The predictions come first, then the runs.
    const predict = card(page, 's3-fig1-accuracy');
    assert.match(await predict.locator('.exercise-run').textContent(), /No run yet/);
    await predictStep3(page);
    await handOverRuns(page);
    await predict.locator('.exercise-run').getByText(/Run available.*locked/).waitFor();

    const catalog = await completeLesson(page);
    const core = catalog.filter((e) => e.core).length;
    assert.match(await page.locator('.progress-count--core').textContent(), new RegExp(`Core path .*: ${core} of ${core} correct`));
    assert.match(await page.locator('.progress-count:not(.progress-count--core)').textContent(), new RegExp(`^All exercises: ${catalog.length} of ${catalog.length} correct`));
    for (let step = 1; step <= 5; step++) {
      const lists = page.locator(`[data-figure="exercises"][data-step="${step}"]`);
      const shownAbove = (await lists.evaluateAll((els) => els.map((el) => el.dataset.ids || ''))).join(' ').split(/\s+/).filter(Boolean);
      const n = catalog.filter((e) => e.step === step && !shownAbove.includes(e.id)).length;
      assert.match(await page.locator(`[data-figure="exercises"][data-step="${step}"]:not([data-ids]) .exercise-list-summary`).textContent(), new RegExp(`^${n} of ${n} correct`));
    }
    assertNoProblems(problems);
  });

  test('export → import into a fresh browser gives the same verdicts, and bnkata check agrees', async () => {
    const { page } = first;
    // One wrong answer, so that the verdicts differ; and one that cannot be checked, which is not an attempt:
    // the formula keeps its earlier, correct answer.
    await answer(page, 's1-mean-var', { fields: { mean: '1', var: '2' } });
    await answer(page, 's1-formula', { fields: { xhat: '(x - mu)/sqrt(var + eps' } });
    const verdicts = await page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('article[data-exercise]'), (a) => [a.dataset.exercise, a.dataset.verdict])));
    assert.equal(verdicts['s1-mean-var'], 'incorrect');
    assert.equal(verdicts['s1-formula'], 'correct');
    assert.match(await card(page, 's1-formula').locator('.verdict').textContent(), /Cannot be checked/);
    assert.match(await card(page, 's1-formula').locator('.exercise-status').textContent(), /correct · 1 attempt/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export answers' }).press('Enter');
    const exported = path.join(tmp, 'answers.json');
    await (await download).saveAs(exported);
    assertNoProblems(first.problems, 'exporting page');

    const file = JSON.parse(readFileSync(exported, 'utf8'));
    assert.equal(file.format, 'bnkata-answers');
    assert.equal(file.version, 1);
    assert.equal(Object.keys(file.answers).length, Object.keys(verdicts).length);

    // The native CLI re-grades the file: same verdict per exercise, exit status 1 (an answer is wrong).
    const check = cliCheck(exported);
    assert.equal(check.status, 1, check.stdout + check.stderr);
    for (const [id, verdict] of Object.entries(verdicts)) {
      const line = check.stdout.split('\n').find((l) => l.includes(id));
      assert.ok(line, `bnkata check lists ${id}`);
      assert.ok(line.includes(verdict.replace('_', ' ')) || line.includes(verdict), `${id}: page says ${verdict}, CLI says "${line}"`);
    }

    const second = await openExercises(site, '');
    try {
      const { page } = second;
      await page.getByLabel('Import answers…').setInputFiles(exported);
      await page.locator('.progress-import-status').getByText(/^Imported \d+ answers/).waitFor();
      assert.equal(await pageSeed(page), file.seed, 'the imported file\'s seed is adopted');
      await page.waitForFunction((n) => document.querySelectorAll('article[data-exercise]').length === n, Object.keys(verdicts).length);
      const after = await page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('article[data-exercise]'), (a) => [a.dataset.exercise, a.dataset.verdict])));
      assert.deepEqual(after, verdicts);
      assert.match(await card(page, 's5-forward-code').locator('textarea, .code-editor').first().evaluate((el) =>
        el.shadowRoot ? el.shadowRoot.textContent : el.value), /batch_norm_forward/, 'the code came back with its answer');
      assert.ok((await storedProgress(page)).includes('"s4-fold"'));
      assertNoProblems(second.problems, 'importing page');
    } finally { await second.close(); }
  });
});

// Checks that read different cards and figures, one after another on one page.
describe('wrong answers, then the sigmoid-range figure, on one page', () => {
  let lesson;
  before(async () => { lesson = await openExercises(site, ''); });
  after(async () => { await lesson?.close(); });

  test('a wrong answer is not correct and names the mistake, with the tolerance', async () => {
    const { page, problems } = lesson;
    const seed = await pageSeed(page);
    const mv = cliCompute({ op: 'exercise', id: 's1-mean-var', seed });
    const meanVar = card(page, 's1-mean-var');
    let text = await answer(page, 's1-mean-var', { fields: { mean: num(meanOf(mv.data.x)), var: num(unbiasedVar(mv.data.x)) } });
    assert.match(text, /Not correct/);
    assert.match(text, /Mistake: Unbiased variance in the forward pass/);
    assert.match(text, /Tolerance: accepted if it differs from the right value by at most 0\.001 \+ 0\.1 % of the right value$/);
    assert.equal((text.match(/0\.1 %/g) || []).length, 1, 'the tolerance is stated once');
    assert.match(await meanVar.locator('.exercise-status').textContent(), /not correct yet · 1 attempt/);

    text = await answer(page, 's1-formula', { fields: { xhat: '(x - mu)/(sqrt(var) + eps)' } });
    assert.match(text, /Mistake: ε outside the square root/);

    const pt = cliCompute({ op: 'exercise', id: 's4-running-pytorch', seed });
    let rm = pt.data.initial.running_mean;
    let rv = pt.data.initial.running_var;
    for (const b of pt.data.batches) {  // the Keras formula with PyTorch's momentum: flipped
      rm = pt.data.momentum * rm + (1 - pt.data.momentum) * meanOf(b);
      rv = pt.data.momentum * rv + (1 - pt.data.momentum) * unbiasedVar(b);
    }
    text = await answer(page, 's4-running-pytorch', { fields: { running_mean: num(rm), running_var: num(rv) } });
    assert.match(text, /Not correct/);
    assert.match(text, /Mistake: .*[Mm]omentum/);

    // A choice: a wrong answer explains only the option picked, so it does not give the right one away.
    await answer(page, 's1-constant-batch', { option: /NaN/ });
    const explanations = await card(page, 's1-constant-batch').locator('.option-explanation').allTextContents();
    assert.equal(explanations.filter((t) => t.trim()).length, 1, 'only the picked option is explained');
    assertNoProblems(problems);
  });

  test('the sigmoid-range figure: γ and β change the share of near-linear inputs', async () => {
    const { page, problems } = lesson;
    const figure = page.locator('[data-figure="sigmoid-range"]');
    await figure.scrollIntoViewIfNeeded();
    const share = async () => Number(/(\d+) % near-linear/.exec(await figure.locator('.sigmoid-share--bn').textContent())[1]);
    // BN without γ/β: inputs ~ N(0, 1), so about 68 % lie in [−1, 1] (400 samples: within a few %).
    const plain = await share();
    assert.ok(plain >= 60 && plain <= 78, `γ = 1, β = 0 gives ${plain} %`);
    const gamma = figure.getByRole('slider', { name: 'γ (scale)' });
    await gamma.focus();
    await page.keyboard.press('End');  // γ = 4: inputs ~ N(0, 16): about 20 % in [−1, 1]
    const wide = await share();
    assert.ok(wide < plain / 2, `γ = 4 gives ${wide} %`);
    const beta = figure.getByRole('slider', { name: 'β (shift)' });
    await beta.focus();
    await page.keyboard.press('Home');  // β = −5 moves most inputs out of the linear range
    assert.ok(await share() < wide);
    assert.match(await figure.locator('.sigmoid-share--bn').textContent(), /γ = 4\.00, β = -5\.0/);
    assertNoProblems(problems);
  });
});

test('options follow the seed; a wrong choice keeps the right one hidden; predictions are predictions', async () => {
  const { page, problems, close } = await openExercises(site, '?seed=4242');
  try {
    // The order shown is the core's for (id, seed): an instructor's seed reproduces it, another seed differs.
    const orders = new Set();
    for (const seed of [4242, 4243, 4244, 4245]) orders.add(JSON.stringify(cliCompute({ op: 'exercise', id: 's2-sigmoid', seed }).options.map((o) => o.text)));
    assert.ok(orders.size > 1, 'different seeds, different orders');
    assert.deepEqual(await card(page, 's2-sigmoid').locator('.answer-option label').allTextContents(),
      exerciseFor('s2-sigmoid', 4242).options.map((o) => o.text));

    // A wrong choice explains only itself; the solution explains every option.
    const constant = card(page, 's1-constant-batch');
    await answer(page, 's1-constant-batch', { option: /NaN/ });
    assert.equal((await constant.locator('.option-explanation').allTextContents()).filter((t) => t.trim()).length, 1);
    assert.doesNotMatch(await constant.locator('.verdict').textContent(), /x̂ = 0 for every element/);
    await constant.getByRole('button', { name: 'Reveal the solution' }).press('Enter');
    assert.equal(await constant.locator('.exercise-solution-options li').count(), 4);

    // The core path is marked, and each step says how long it takes.
    assert.equal(await card(page, 's1-mean-var').locator('.exercise-path').textContent(), 'Core path');
    assert.equal(await card(page, 's1-formula').locator('.exercise-path').textContent(), 'Optional');
    assert.equal(await page.locator('.step .step-time').count(), 5);

    // Asked before the text that answers them: the fold before its formula, var(x̂) before NumPy's printout.
    const precedes = (a, b) => a.evaluate((el, other) => Boolean(el.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING), b);
    assert.ok(await precedes(card(page, 's4-fold'), await page.getByText(/^The folded layer: replace/).first().elementHandle()));
    assert.ok(await precedes(card(page, 's5-var-predict'), await page.getByText(/^Run with NumPy 1\.24, it prints:/).elementHandle()));

    // A run that exists before the prediction: the choice is recorded as made after it, and does not count.
    await handOverRuns(page);
    const accuracy = card(page, 's3-fig1-accuracy');
    await accuracy.locator('.exercise-run').getByText(/before you predicted/).waitFor();
    const text = await answer(page, 's3-fig1-accuracy', { option: /^The network with batch norm/ });
    assert.match(text, /made after the run, so it is not counted as a prediction/);
    assert.equal(await accuracy.getAttribute('data-verdict'), 'incorrect');

    // Messages name no internal field: the NumPy paste without its Mean and Var.
    const paste = exerciseFor('s5-numpy-paste', 4242);
    const yLine = numpyPrints(paste.data.script).trim().split(', Mean:')[0];
    // (An answer that cannot be checked is not an attempt, so the card's status does not change: wait for the verdict.)
    const pasteCard = card(page, 's5-numpy-paste');
    await pasteCard.scrollIntoViewIfNeeded();
    await pasteCard.getByRole('textbox', { name: 'What your script printed' }).focus();
    await page.keyboard.insertText(yLine);
    await pasteCard.getByRole('button', { name: 'Check' }).press('Enter');
    await pasteCard.locator('.verdict').getByText(/Cannot be checked/).waitFor();
    const pasted = await pasteCard.locator('.verdict').textContent();
    assert.match(pasted, /Paste the whole printed line/);
    assert.doesNotMatch(pasted, /numpy_output/);
    assert.match(await pasteCard.locator('.exercise-status').textContent(), /not answered · 0 attempts/);
    assertNoProblems(problems);
  } finally { await close(); }
});

test('progress survives a reload: answers, verdicts, attempts, hints, drafts and the revealed solution', async () => {
  const { page, problems, close } = await openExercises(site, '');
  try {
    const seed = await pageSeed(page);
    const mv = cliCompute({ op: 'exercise', id: 's1-mean-var', seed });
    const meanVar = card(page, 's1-mean-var');
    await answer(page, 's1-mean-var', { fields: { mean: '0', var: '0' } });
    await answer(page, 's1-mean-var', { fields: { mean: num(meanOf(mv.data.x)), var: num(biasedVar(mv.data.x)) } });
    await meanVar.getByRole('button', { name: /^Show a hint/ }).press('Enter');
    await meanVar.getByRole('button', { name: /^Show a hint/ }).press('Enter');
    const xhat = card(page, 's1-xhat');
    await xhat.getByRole('button', { name: 'Reveal the solution' }).press('Enter');
    await xhat.locator('.exercise-solution').getByText('Solution').waitFor();
    // A draft: typed, not checked.
    await typeInto(page, card(page, 's2-identity').getByRole('textbox', { name: 'γ', exact: true }), '1.5');
    await page.waitForFunction(() => /"draft":\{"gamma":"1.5"/.test(localStorage.getItem('bnkata:v1:progress')));
    const code = card(page, 's5-forward-code');
    await code.scrollIntoViewIfNeeded();
    await answer(page, 's5-forward-code', { code: FORWARD_SOURCE });

    await reloadExercises(page);
    assert.equal(await pageSeed(page), seed, 'the same seed, so the same numbers');
    assert.equal(await meanVar.getAttribute('data-verdict'), 'correct');
    assert.match(await meanVar.locator('.exercise-status').textContent(), /correct · 2 attempts/);
    assert.equal(await meanVar.getByRole('textbox', { name: 'μ_B' }).inputValue(), num(meanOf(mv.data.x)));
    assert.equal(await meanVar.locator('.exercise-hints li').count(), 2);
    assert.match(await meanVar.locator('.verdict').textContent(), /Correct/);
    await xhat.scrollIntoViewIfNeeded();
    assert.match(await xhat.locator('.exercise-solution').textContent(), /Solution/);
    assert.equal(await card(page, 's2-identity').getByRole('textbox', { name: 'γ', exact: true }).inputValue(), '1.5');
    await code.scrollIntoViewIfNeeded();
    assert.equal(await code.getAttribute('data-verdict'), 'correct');
    assert.match(await code.getByRole('textbox', { name: /^Code editor/ }).inputValue(), /variance \/= m/, 'the code is back in the editor');
    assertNoProblems(problems);
  } finally { await close(); }
});

test('instructor URL parameters set the seed, hide solutions and lock steps', async () => {
  const { page, problems, close } = await openExercises(site, '?seed=4242&solutions=hide&lock=4,5&lock=x');
  try {
    assert.match(await page.locator('.progress-seed').textContent(), /seed 4242, set by this link/);
    const mv = cliCompute({ op: 'exercise', id: 's1-mean-var', seed: 4242 });
    assert.equal(await card(page, 's1-mean-var').locator('.exercise-prompt').textContent(), mv.prompt);
    assert.equal(await page.getByRole('button', { name: 'Reveal the solution' }).count(), 0);
    assert.ok(await page.getByRole('button', { name: /^Show a hint/ }).count() > 0, 'hints stay');
    assert.match(await page.locator('.progress-notices').textContent(), /locks the exercises of step 4, 5/);
    const fold = card(page, 's4-fold');
    assert.match(await fold.textContent(), /locked the exercises of step 4/);
    assert.equal(await fold.getByRole('textbox', { name: "b'" }).isDisabled(), true);
    assert.equal(await fold.getByRole('button', { name: 'Check' }).isDisabled(), true);
    assert.equal(await card(page, 's1-mean-var').getByRole('textbox', { name: 'μ_B' }).isDisabled(), false, 'step 1 is open');
    // A bad value is ignored with a notice.
    const bad = await openExercises(site, '?seed=banana');
    try {
      assert.match(await bad.page.locator('.progress-notices').textContent(), /seed “banana” is not a whole number/);
      assert.match(await bad.page.locator('.progress-seed').textContent(), /your own seed/);
      assertNoProblems(bad.problems, 'bad seed');
    } finally { await bad.close(); }
    assertNoProblems(problems);
  } finally { await close(); }
});

test('the exercises pass axe in light and dark and fit 320 px; the runner works from file://', async () => {
  // One page, its colour scheme switched as a learner's system switches it.
  const { page, problems, close } = await openExercises(site, '', { bypassCSP: true });
  try {
    const c = card(page, 's5-forward-code');
    await c.scrollIntoViewIfNeeded();
    await answer(page, 's5-forward-code', { code: 'function batch_norm_forward(x) { return [x, 0, 1]; }' });
    await answer(page, 's1-mean-var', { fields: { mean: '1', var: '1' } });
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
      const violations = await runAxe(page, { context: { include: [['[data-figure="exercises"]'], ['[data-figure="exercise-progress"]'], ['[data-figure="sigmoid-range"]']] } });
      assert.deepEqual(violations, [], `${colorScheme}:\n${formatViolations(violations)}`);
    }
    assertNoProblems(problems);
  } finally { await close(); }

  // From disk, on a 320 px wide screen.
  const local = await openExercises(site, fileUrl(), { viewport: NARROW });
  try {
    await answer(local.page, 's1-formula', { fields: { xhat: '(x - mu)/sqrt(var + $eps)' } });
    const overflow = await horizontalOverflow(local.page);
    assert.ok(overflow.scrollWidth <= overflow.clientWidth && !overflow.offenders.length, `wider than 320 px: ${JSON.stringify(overflow)}`);
    const c = card(local.page, 's5-forward-code');
    await c.scrollIntoViewIfNeeded();
    await answer(local.page, 's5-forward-code', { code: FORWARD_SOURCE });
    assert.equal(await c.getAttribute('data-verdict'), 'correct');
    assertNoProblems(local.problems, 'file://, 320 px');
  } finally { await local.close(); }
});
