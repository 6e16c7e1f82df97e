// The exercises of all five steps, driven by keyboard as a learner drives them (issue 4):
//
//   - the whole lesson can be completed: every exercise gets a "correct" verdict. The answers are worked
//     out here, from each exercise's own data (asked from the native CLI with the page's seed), by this
//     file's own arithmetic — never from the exercise's solution. The NumPy paste is what python3's
//     NumPy really prints for the seed's script. Step 3's runs are handed over with the lab's event;
//   - a wrong answer names the mistake (unbiased variance, ε outside the root, flipped momentum);
//   - progress (answers, verdicts, attempts, hints) survives a reload;
//   - export → import into a fresh browser gives the same verdicts, and `bnkata check` on the exported
//     file gives them too;
//   - the instructor's URL parameters: seed, hidden solutions, locked steps;
//   - the step 2 sigmoid-range figure answers its sliders; the exercises pass axe in light and dark, and
//     fit 320 px; the code runner and the editor work from file:// too;
//   - no console error, no CSP violation, no request outside the page's own files, anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launchChromium, serveSite, fileUrl, assertNoProblems, runAxe, formatViolations, horizontalOverflow, NARROW } from './lib/index.mjs';
import { openExercises, reloadExercises, card, storedProgress, pageSeed, typeInto, cliCompute, cliCheck } from './exercises-helpers.mjs';

let browser, site, tmp;
before(async () => {
  browser = await launchChromium();
  site = await serveSite({ base: '/lesson/' });
  tmp = mkdtempSync(path.join(tmpdir(), 'bnkata-exercises-'));
});
after(async () => {
  await site?.close();
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------
// The test's own arithmetic (independent of the core)

const sum = (a) => a.reduce((s, v) => s + v, 0);
const meanOf = (a) => sum(a) / a.length;
const biasedVar = (a) => { const m = meanOf(a); return sum(a.map((v) => (v - m) ** 2)) / a.length; };
const unbiasedVar = (a) => biasedVar(a) * a.length / (a.length - 1);
const num = (v) => String(Number(v.toPrecision(10)));

// The JS a learner writes for step 5 (two-pass statistics, so a batch near 1e8 still normalises).
const FORWARD_SOURCE = `function batch_norm_forward(x, gamma, beta, eps) {
const m = x.length;
let mean = 0;
for (const v of x) mean += v;
mean /= m;
let variance = 0;
for (const v of x) variance += (v - mean) * (v - mean);
variance /= m;
const y = x.map((v) => gamma * (v - mean) / Math.sqrt(variance + eps) + beta);
return { y, mean, var: variance };
}`;
// cs231n's compact backward: dx = γ·rstd/m · (m·dy − Σdy − x̂·Σ(dy·x̂)).
const BACKWARD_SOURCE = `function batch_norm_backward(dy, x, gamma, beta, eps) {
const m = x.length;
const mean = x.reduce((s, v) => s + v, 0) / m;
const variance = x.reduce((s, v) => s + (v - mean) * (v - mean), 0) / m;
const rstd = 1 / Math.sqrt(variance + eps);
const xhat = x.map((v) => (v - mean) * rstd);
const dbeta = dy.reduce((s, v) => s + v, 0);
const dgamma = dy.reduce((s, v, i) => s + v * xhat[i], 0);
const dx = x.map((v, i) => gamma * rstd / m * (m * dy[i] - dbeta - xhat[i] * dgamma));
return { dx, dgamma, dbeta };
}`;

// The seed kata's NumPy function, run on the exercise's own script by python3 (NumPy): what it prints.
const SEED_FUNCTION = `def batch_norm_forward(x_batch, gamma, beta, epsilon=1e-5):
    mean_b = np.mean(x_batch)
    var_b = np.var(x_batch)
    x_hat = (x_batch - mean_b) / np.sqrt(var_b + epsilon)
    y = gamma * x_hat + beta
    return y, mean_b, var_b
`;
function numpyPrints(script) {
  const program = script.replace(/^# your batch_norm_forward.*$/m, SEED_FUNCTION);
  assert.notEqual(program, script, 'the script has the place for the seed function');
  // Debian's python3 with python3-numpy (scripts/setup.sh installs it); BNKATA_PYTHON to use another.
  const out = spawnSync(process.env.BNKATA_PYTHON || '/usr/bin/python3', ['-c', program], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout;
}

// Step 3: the runs the lab would hand over, and the predictions they make right.
const RUNS = {
  fig1: { experiment: 'fig1', with_bn: { final_accuracy: 0.95, final_loss: 0.17, diverged: false, p50_drift: 0.04 },
    without_bn: { final_accuracy: 0.81, final_loss: 0.62, diverged: false, p50_drift: 0.9 } },
  'lr-sweep': { experiment: 'lr-sweep', max_stable_lr: { with_bn: 3.2, without_bn: 0.4 } },
  'bias-blowup': { experiment: 'bias-blowup', bias_blowup: { bias_norm_start: 0.1, bias_norm_end: 38, loss_start: 2.3, loss_end: 2.29 } },
};

// What the learner answers for each exercise: { fields: {name: text} } | { option: RegExp } |
// { options: [RegExp] } | { code } | { paste }. From the exercise's data only.
function answerFor(ex) {
  const d = ex.data;
  switch (ex.id) {
    case 's1-mean-var': return { fields: { mean: num(meanOf(d.x)), var: num(biasedVar(d.x)) } };
    case 's1-xhat': {
      const column = d.x.map((row) => row[d.feature - 1]);
      const x = d.x[d.example - 1][d.feature - 1];
      return { fields: { xhat: num((x - meanOf(column)) / Math.sqrt(biasedVar(column) + d.eps)) } };
    }
    case 's1-formula': return { fields: { xhat: '(x - mu)/sqrt(var + eps)' } };
    case 's1-constant-batch': {
      // x − μ_B = 0 for a constant batch, and √(0 + ε) > 0: x̂ is exactly 0.
      assert.equal(biasedVar(d.x), 0);
      return { option: /^x̂ = 0 for every element/ };
    }
    case 's1-conv-stats': {
      // Per channel, over both examples and all four positions of its 2×2 maps: m = N·H·W = 8.
      const channel = (c) => d.x.flatMap((example) => example[c].flat());
      const channels = [0, 1].map(channel);
      return { fields: { mean: channels.map((v) => num(meanOf(v))).join(', '), var: channels.map((v) => num(biasedVar(v))).join(', ') } };
    }
    case 's1-group-stats': {
      // One example's C/G consecutive channels, every position.
      const perGroup = 6 / d.groups;
      const values = d.x[d.example - 1].filter((_, c) => Math.floor(c / perGroup) === d.group - 1).flat(2);
      return { fields: { mean: num(meanOf(values)), var: num(biasedVar(values)) } };
    }
    case 's1-which-norm': return { option: /^Both take statistics within one example/ };
    case 's2-identity': return { fields: { gamma: num(Math.sqrt(biasedVar(d.x) + d.eps)), beta: num(meanOf(d.x)) } };
    case 's2-sigmoid': return { option: /nonlinearity/ };
    case 's2-bias': return { options: [/shifts every example/, /gradient is exactly zero/, /β takes over/] };
    case 's3-fig1-accuracy': return { option: /^The network with batch norm/, run: 'fig1' };
    case 's3-fig1-drift': return { option: /^Without batch norm/, run: 'fig1' };
    case 's3-lr-sweep': return { option: /^The network with batch norm/, run: 'lr-sweep' };
    case 's3-bias-blowup': return { option: /grows and grows, while the loss stays about the same/, run: 'bias-blowup' };
    case 's4-running-pytorch': case 's4-running-keras': {
      let rm = d.initial.running_mean;
      let rv = d.initial.running_var;
      for (const b of d.batches) {
        if (d.convention === 'pytorch') {  // r ← (1 − m)·r + m·batch, the unbiased variance stored
          rm = (1 - d.momentum) * rm + d.momentum * meanOf(b);
          rv = (1 - d.momentum) * rv + d.momentum * unbiasedVar(b);
        } else {                           // r ← m·r + (1 − m)·batch, the biased variance
          rm = d.momentum * rm + (1 - d.momentum) * meanOf(b);
          rv = d.momentum * rv + (1 - d.momentum) * biasedVar(b);
        }
      }
      return { fields: { running_mean: num(rm), running_var: num(rv) } };
    }
    case 's4-eval-single':
      return { fields: { y: num(d.gamma * (d.x - d.running_mean) / Math.sqrt(d.running_var + d.eps) + d.beta) } };
    case 's4-batch-of-one': return { options: [/PyTorch refuses/, /Keras silently outputs β/, /^x̂ = 0/, /In eval mode a single example is fine/] };
    case 's4-fold': {
      const W = [];
      const b = [];
      d.W.forEach((row, j) => {
        const scale = d.gamma[j] / Math.sqrt(d.running_var[j] + d.eps);
        for (const w of row) W.push(num(w * scale));
        b.push(num((d.b[j] - d.running_mean[j]) * scale + d.beta[j]));
      });
      return { fields: { W: W.join(', '), b: b.join(', ') } };
    }
    case 's5-forward-code': return { code: FORWARD_SOURCE };
    case 's5-backward-code': return { code: BACKWARD_SOURCE };
    case 's5-numpy-paste': return { paste: numpyPrints(d.script) };
    default: throw new Error(`this test does not know how to answer ${ex.id}: add it`);
  }
}

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
  const before = await c.locator('.exercise-status').textContent();
  if (answer.fields) {
    const names = Object.keys(answer.fields);
    await fieldBox(c, ex, names[0]).focus();
    for (let i = 0; i < names.length; i++) {
      if (i > 0) await tabTo(page, fieldBox(c, ex, names[i]));
      await page.keyboard.press('Control+A');
      await page.keyboard.type(answer.fields[names[i]]);
    }
    await page.keyboard.press('Enter');  // Enter in a field checks the answer
  } else if (answer.option || answer.options) {
    const wanted = answer.options || [answer.option];
    const boxes = c.locator('.answer-option');
    const texts = await boxes.locator('label').allTextContents();
    const targets = wanted.map((re) => {
      const i = texts.findIndex((t) => re.test(t));
      assert.ok(i >= 0, `no option matches ${re} in ${JSON.stringify(texts)}`);
      return i;
    });
    const multi = (await boxes.first().locator('input').getAttribute('type')) === 'checkbox';
    await boxes.first().locator('input').focus();
    if (multi) {
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
    await tabTo(page, await checkButton(c));
    await page.keyboard.press('Enter');
  } else if (answer.code) {
    // A key pressed in the editor loads CodeMirror (dist/editor.js), which takes over text, caret and focus.
    await c.getByRole('textbox', { name: /^Code editor/ }).focus();
    await page.keyboard.press('End');
    await c.locator('.code-editor').waitFor();
    await c.getByRole('textbox', { name: /^Code editor/ }).focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(answer.code);
    await page.keyboard.press('Tab');  // Tab leaves the editor: the next control is the run button
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Run and check', 'Tab moved from the editor to Run and check');
    await page.keyboard.press('Enter');
  } else if (answer.paste) {
    await c.getByRole('textbox', { name: 'What your script printed' }).focus();
    await page.keyboard.insertText(answer.paste);  // a paste
    await tabTo(page, await checkButton(c));
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(({ el, before }) => el.querySelector('.exercise-status').textContent !== before && !el.querySelector('.code-running'),
    { el: await c.elementHandle(), before });
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

test('a learner completes every exercise of the lesson by keyboard, and the page says so', async () => {
  const { page, problems, close } = await openExercises(browser, site.url);
  try {
    // Step 3 asks for a run first: before it, the page says so.
    const predict = card(page, 's3-fig1-accuracy');
    assert.match(await predict.locator('.exercise-run').textContent(), /No run yet/);
    await handOverRuns(page);
    await predict.locator('.exercise-run').getByText(/Run available/).waitFor();

    const catalog = await completeLesson(page);
    assert.match(await page.locator('.progress-count').textContent(), new RegExp(`^${catalog.length} of ${catalog.length} exercises correct`));
    for (let step = 1; step <= 5; step++) {
      const n = catalog.filter((e) => e.step === step).length;
      assert.match(await page.locator(`[data-figure="exercises"][data-step="${step}"] .exercise-list-summary`).textContent(), new RegExp(`^${n} of ${n} correct`));
    }
    assertNoProblems(problems);
  } finally { await close(); }
});

test('a wrong answer is not correct and names the mistake, with the tolerance', async () => {
  const { page, problems, close } = await openExercises(browser, site.url);
  try {
    const seed = await pageSeed(page);
    const mv = cliCompute({ op: 'exercise', id: 's1-mean-var', seed });
    const meanVar = card(page, 's1-mean-var');
    let text = await answer(page, 's1-mean-var', { fields: { mean: num(meanOf(mv.data.x)), var: num(unbiasedVar(mv.data.x)) } });
    assert.match(text, /Not correct/);
    assert.match(text, /Mistake: Unbiased variance in the forward pass/);
    assert.match(text, /Tolerance: within 0\.1 %/);
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

    // A choice: every option is explained after checking.
    await answer(page, 's1-constant-batch', { option: /NaN/ });
    const explanations = await card(page, 's1-constant-batch').locator('.option-explanation').allTextContents();
    assert.equal(explanations.filter((t) => t.trim()).length, explanations.length, 'every option has its explanation');
    assertNoProblems(problems);
  } finally { await close(); }
});

test('progress survives a reload: answers, verdicts, attempts, hints, drafts and the revealed solution', async () => {
  const { page, problems, close } = await openExercises(browser, site.url);
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

test('export → import into a fresh browser gives the same verdicts, and bnkata check agrees', async () => {
  const first = await openExercises(browser, site.url);
  let exported;
  let verdicts;
  try {
    const { page } = first;
    await handOverRuns(page);
    await completeLesson(page);
    // One wrong and one invalid answer, so that the verdicts differ.
    await answer(page, 's1-mean-var', { fields: { mean: '1', var: '2' } });
    await answer(page, 's1-formula', { fields: { xhat: '(x - mu)/sqrt(var + eps' } });
    verdicts = await page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('article[data-exercise]'), (a) => [a.dataset.exercise, a.dataset.verdict])));
    assert.equal(verdicts['s1-mean-var'], 'incorrect');
    assert.equal(verdicts['s1-formula'], 'invalid');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export answers' }).press('Enter');
    exported = path.join(tmp, 'answers.json');
    await (await download).saveAs(exported);
    assertNoProblems(first.problems, 'exporting page');
  } finally { await first.close(); }

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

  const second = await openExercises(browser, site.url);
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

test('instructor URL parameters set the seed, hide solutions and lock steps', async () => {
  const { page, problems, close } = await openExercises(browser, `${site.url}?seed=4242&solutions=hide&lock=4,5&lock=x`);
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
    const bad = await openExercises(browser, `${site.url}?seed=banana`);
    try {
      assert.match(await bad.page.locator('.progress-notices').textContent(), /seed “banana” is not a whole number/);
      assert.match(await bad.page.locator('.progress-seed').textContent(), /your own seed/);
      assertNoProblems(bad.problems, 'bad seed');
    } finally { await bad.close(); }
    assertNoProblems(problems);
  } finally { await close(); }
});

test('the sigmoid-range figure: γ and β change the share of near-linear inputs', async () => {
  const { page, problems, close } = await openExercises(browser, site.url);
  try {
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
  } finally { await close(); }
});

test('the exercises pass axe in light and dark and fit 320 px; the runner works from file://', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, close } = await openExercises(browser, site.url, { colorScheme, bypassCSP: true });
    try {
      const c = card(page, 's5-forward-code');
      await c.scrollIntoViewIfNeeded();
      await answer(page, 's5-forward-code', { code: 'function batch_norm_forward(x) { return [x, 0, 1]; }' });
      await answer(page, 's1-mean-var', { fields: { mean: '1', var: '1' } });
      const violations = await runAxe(page, { context: { include: [['[data-figure="exercises"]'], ['[data-figure="exercise-progress"]'], ['[data-figure="sigmoid-range"]']] } });
      assert.deepEqual(violations, [], formatViolations(violations));
      assertNoProblems(problems, colorScheme);
    } finally { await close(); }
  }
  const narrow = await openExercises(browser, site.url, { viewport: NARROW });
  try {
    await answer(narrow.page, 's1-formula', { fields: { xhat: '(x - mu)/sqrt(var + $eps)' } });
    const overflow = await horizontalOverflow(narrow.page);
    assert.ok(overflow.scrollWidth <= overflow.clientWidth && !overflow.offenders.length, `wider than 320 px: ${JSON.stringify(overflow)}`);
    assertNoProblems(narrow.problems, '320 px');
  } finally { await narrow.close(); }

  const local = await openExercises(browser, fileUrl());
  try {
    const c = card(local.page, 's5-forward-code');
    await c.scrollIntoViewIfNeeded();
    await answer(local.page, 's5-forward-code', { code: FORWARD_SOURCE });
    assert.equal(await c.getAttribute('data-verdict'), 'correct');
    assertNoProblems(local.problems, 'file://');
  } finally { await local.close(); }
});
