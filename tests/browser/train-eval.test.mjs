// Step 4's train/eval switch, written in the page's editor by keyboard, as a learner writes it: a right
// batch_norm passes every case; each wrong switch fails and gets its named mistake; code that throws or never
// ends gets a clear message, and the page and the learner's progress carry on. The cases and their expected
// values are the core's (generated from the exercise's id and the page's seed); the switches typed here are
// the learner's, written from the kata's formulas (TRAIN_EVAL_SOURCE and one-line edits of it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, assertNoProblems } from './lib/index.mjs';
import { openExercises, reloadExercises, card, cliCompute, pageSeed, storedProgress, TRAIN_EVAL_SOURCE } from './exercises-helpers.mjs';

const ID = 's4-train-eval-code';
const site = useSite();

// The right switch with one line (or two) changed: each a classic wrong switch.
function edited(...replacements) {
  let source = TRAIN_EVAL_SOURCE;
  for (const [from, to] of replacements) {
    assert.ok(source.includes(from), `the source has "${from}"`);
    source = source.replace(from, to);
  }
  return source;
}
const WRONG = {
  // Updates whatever the mode (normalizing eval with the statistics read before the update).
  evalUpdates: edited(["if (mode === 'train') {", 'if (true) {']),
  // Normalizes with the running statistics in training mode too.
  trainUsesRunning: edited(["const mean = mode === 'train' ? batchMean : state.running_mean;", 'const mean = state.running_mean;'],
    ["const variance = mode === 'train' ? batchVar : state.running_var;", 'const variance = state.running_var;']),
  // Stores the variance it normalized with: the biased one.
  biasedStored: edited(['momentum * batchVar * m / (m - 1);', 'momentum * batchVar;']),
  // Keras's update with PyTorch's momentum.
  momentumFlipped: edited(['(1 - momentum) * state.running_mean + momentum * batchMean', 'momentum * state.running_mean + (1 - momentum) * batchMean'],
    ['(1 - momentum) * state.running_var + momentum * batchVar', 'momentum * state.running_var + (1 - momentum) * batchVar']),
  // PyTorch's training-mode refusal of one value, applied in eval mode too.
  refusesOne: edited(['const m = x.length;', "const m = x.length;\nif (m < 2) throw new Error('Expected more than 1 value per channel');"]),
};

// Enters `source` into the exercise's editor from the keyboard, leaves it with Tab, runs it with Enter, and waits for
// the grade; resolves to the card.
async function runByKeyboard(page, source) {
  const c = card(page, ID);
  await c.scrollIntoViewIfNeeded();
  const editor = c.getByRole('textbox', { name: /^Code editor/ });
  await editor.focus();
  await page.keyboard.press('End');  // a key pressed in it loads CodeMirror (dist/editor.js)
  await c.locator('.code-editor').waitFor();
  await editor.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // As a paste arrives (one input of the whole text): typing key by key would also test CodeMirror's
  // auto-indent and bracket closing, and costs seconds per source.
  await page.keyboard.insertText(source);
  const before = await c.locator('.exercise-status').textContent();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Run and check', 'Tab moved from the editor to Run and check');
  await page.keyboard.press('Enter');
  await page.waitForFunction(({ el, before }) => el.querySelector('.exercise-status').textContent !== before && !el.querySelector('.code-running'),
    { el: await c.elementHandle(), before });
  return c;
}

const verdict = (c) => c.locator('.verdict').textContent();
const caseLines = (c) => c.locator('.code-cases li').allTextContents();

test('the train/eval switch: a right one passes every case, each wrong one is named', async () => {
  const { page, problems, close } = await openExercises(site, '?seed=7#step-4');
  try {
    const exercise = cliCompute({ op: 'exercise', id: ID, seed: await pageSeed(page) });
    const c = card(page, ID);
    assert.equal(await c.locator('.exercise-path').textContent(), 'Optional');
    assert.equal(await c.locator('.exercise-prompt').textContent(), exercise.prompt);
    assert.match(exercise.prompt, /PyTorch's way: running ← \(1 − momentum\)·running \+ momentum·batch/);
    assert.match(await c.locator('.answer-help').textContent(),
      /^Write batch_norm\(x, gamma, beta, state, mode, momentum\) returning y and updating state\.running_mean, state\.running_var in place\./);

    await runByKeyboard(page, TRAIN_EVAL_SOURCE);
    assert.equal(await c.getAttribute('data-verdict'), 'correct', await verdict(c));
    assert.deepEqual(await caseLines(c), exercise.cases.map((k) => `✓ passed: ${k.name}`));

    await runByKeyboard(page, WRONG.evalUpdates);
    assert.match(await verdict(c), /Mistake: Eval mode updates the running statistics/);
    assert.match(await c.locator('.code-failure-title').textContent(), /^First failure: eval$/);
    assert.match(await c.locator('.code-failure').textContent(), /eval mode changed the running statistics/);

    await runByKeyboard(page, WRONG.trainUsesRunning);
    assert.match(await verdict(c), /Mistake: Training mode normalizes with the running statistics/);
    // The report shows which statistics the learner's y was normalized with: case "train" starts from (0, 1).
    const used = c.locator('.code-trace tbody tr').nth(1);
    assert.match(await used.textContent(), /^y normalized with \(μ_B, σ²_B\)/);
    const [yourMean, yourVar] = (await used.locator('td').allTextContents()).slice(2).map((t) => Number(t.replace('−', '-')));
    assert.ok(Math.abs(yourMean) < 1e-6 && Math.abs(yourVar - 1) < 1e-6, `normalized with ${yourMean}, ${yourVar}`);

    await runByKeyboard(page, WRONG.biasedStored);
    assert.match(await verdict(c), /Mistake: Biased variance stored in PyTorch's running variance/);

    await runByKeyboard(page, WRONG.momentumFlipped);
    assert.match(await verdict(c), /Mistake: Momentum convention flipped/);

    await runByKeyboard(page, WRONG.refusesOne);
    assert.match(await verdict(c), /Mistake: A batch of one fails in eval mode/);
    assert.match(await c.locator('.code-failure').textContent(), /Error: Expected more than 1 value per channel \(line 4\)/);
    const lines = await caseLines(c);
    assert.deepEqual(lines.map((l) => l.startsWith('✓')), exercise.cases.map((k) => k.name !== 'eval, a batch of one'));
    assertNoProblems(problems);
  } finally { await close(); }
});

test('code that throws or never ends gets a clear message; the page and the progress carry on', async () => {
  const { page, problems, close } = await openExercises(site, '?seed=7#step-4');
  try {
    const seed = await pageSeed(page);
    const single = cliCompute({ op: 'exercise', id: 's4-eval-single', seed }).data;
    // Progress made before: another exercise of the step answered right.
    const other = card(page, 's4-eval-single');
    await other.scrollIntoViewIfNeeded();
    await other.getByRole('textbox', { name: 'y', exact: true }).focus();
    await page.keyboard.type(String(single.gamma * (single.x - single.running_mean) / Math.sqrt(single.running_var + single.eps) + single.beta));
    await page.keyboard.press('Enter');
    await page.waitForFunction((el) => el.dataset.verdict === 'correct', await other.elementHandle());

    let c = await runByKeyboard(page, 'function batch_norm(x, gamma, beta, state, mode) {\nthrow new TypeError("no switch yet");\n}');
    assert.match(await verdict(c), /Not correct/);
    assert.match(await c.locator('.code-failure').textContent(), /threw an error: TypeError: no switch yet \(line 2\)/);

    c = await runByKeyboard(page, 'function batch_norm(x, gamma, beta, state, mode) {\nwhile (true) {}\n}');
    assert.match(await c.locator('.code-fatal').textContent(), /did not finish within 2 s and was stopped \(an endless loop\?\)/);
    assert.match(await c.locator('.code-failure').textContent(), /no result: the time limit stopped the code/);

    // The page still works: the right switch passes right after.
    c = await runByKeyboard(page, TRAIN_EVAL_SOURCE);
    assert.equal(await c.getAttribute('data-verdict'), 'correct', await verdict(c));
    assert.match(await c.locator('.exercise-status').textContent(), /correct · 3 attempts/);

    // Nothing was lost: after a reload both exercises are still right, and the code is back in the editor.
    await page.waitForFunction(() => /s4-train-eval-code[^]*"verdict":"correct"/.test(localStorage.getItem('bnkata:v1:progress')));
    await reloadExercises(page);
    assert.equal(await other.getAttribute('data-verdict'), 'correct');
    assert.equal(await c.getAttribute('data-verdict'), 'correct');
    assert.match(await c.getByRole('textbox', { name: /^Code editor/ }).inputValue(), /state\.running_var = \(1 - momentum\)/);
    assert.match(await storedProgress(page), /"s4-train-eval-code"/);
    assertNoProblems(problems);
  } finally { await close(); }
});
