// Step 5 — verification: the seed's experiment on the page. The expected numbers are what the seed's
// NumPy code prints (NumPy 1.24: mean 2.5, var 1.25; x̂ = [−1.34163542 −0.44721181 0.44721181
// 1.34163542], mean 0.0, var 0.9999920000639994) and, for γ = 2, β = 0.5, NumPy's
// y.mean() = 0.5, y.var() = 3.9999680002559974.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, assertNoProblems, toNumber, useSite } from './lib/index.mjs';

describe('step 5: verify the forward pass stage by stage', () => {
  const site = useSite();
  let lesson;
  let step;

  before(async () => {
    lesson = await site.open('#step-5');
    step = lesson.page.locator('#step-5');
    await step.getByRole('table', { name: 'Mean and variance after each stage' }).waitFor();
  });

  const field = (name) => step.getByRole('textbox', { name });
  // { values, mean, variance } of the stage row whose header mentions `what` ("the batch as given", …).
  async function stage(what) {
    const row = step.getByRole('table', { name: 'Mean and variance after each stage' }).getByRole('row').filter({ hasText: what });
    const cells = await row.getByRole('cell').allTextContents();
    return { values: cells[0].split(',').map(toNumber), mean: toNumber(cells[1]), variance: toNumber(cells[2]) };
  }
  const errorOf = (name) => field(name).evaluate((input) => input.getAttribute('aria-describedby').split(' ')
    .map((id) => document.getElementById(id)).find((el) => el.classList.contains('field-error')).textContent);

  test('the seed’s code and what it prints stand in the reading column, lined up with the text', async () => {
    const edges = await lesson.page.evaluate(() => {
      const left = (el) => Math.round(el.getBoundingClientRect().left);
      const text = document.querySelector('#step-5 > p');
      return { text: left(text), blocks: Array.from(document.querySelectorAll('#step-5 > pre.code-block'), left) };
    });
    assert.ok(edges.blocks.length >= 2, 'the code and its output are there');
    assert.deepEqual(edges.blocks, edges.blocks.map(() => edges.text), 'code blocks start where the text does');
  });

  test('the deep link #step-5 lands on step 5', async () => {
    const top = await step.getByRole('heading', { level: 2 }).evaluate((heading) => heading.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 160, `step 5's heading is ${top}px from the top of the viewport`);
  });

  test('the seed’s batch: x has mean 2.5 and variance 1.25', async () => {
    const x = await stage('the batch as given');
    assert.deepEqual(x.values, [1, 2, 3, 4]);
    assert.equal(x.mean, 2.5);
    assert.equal(x.variance, 1.25);
  });

  test('centering: x − μ_B = [−1.5, −0.5, 0.5, 1.5], mean 0, variance still 1.25', async () => {
    const centered = await stage('centered');
    assert.deepEqual(centered.values, [-1.5, -0.5, 0.5, 1.5]);
    assert.equal(centered.mean, 0);
    assert.equal(centered.variance, 1.25);
  });

  test('normalizing: x̂ ≈ [−1.341635, −0.447212, 0.447212, 1.341635], mean 0, variance 0.999992 — not 1', async () => {
    const xhat = await stage('normalized');
    [-1.341635, -0.447212, 0.447212, 1.341635].forEach((want, i) => assertClose(xhat.values[i], want, 1e-6, `x̂${i + 1}`));
    assert.equal(xhat.mean, 0);
    assert.equal(xhat.variance, 0.999992);
    assert.notEqual(xhat.variance, 1);
    const why = await step.locator('.figure-note').textContent();
    assert.match(why, /1\.25 \/ \(1\.25 \+ 1e−5\), below 1 because ε is added to the variance/);
  });

  test('γ = 2, β = 0.5: y has mean β = 0.5 and variance γ² · 0.999992 = 3.999968', async () => {
    await field('γ (scale)').fill('2');
    await field('β (shift)').fill('0.5');
    const y = await stage('scaled and shifted');
    assert.equal(y.mean, 0.5);
    assert.equal(y.variance, 3.999968);
    assertClose(y.values[0], -2.183271, 1e-6, 'y₁');  // NumPy: 2 · (−1.34163542) + 0.5 = −2.18327084
  });

  test('a larger ε pulls the variance of x̂ further below 1 (ε = 1: 1.25 / 2.25 = 0.555556)', async () => {
    await field('ε (epsilon)').fill('1');
    assert.equal((await stage('normalized')).variance, 0.555556);
    await field('ε (epsilon)').fill('1e-5');
    assert.equal((await stage('normalized')).variance, 0.999992);
  });

  test('bad input: a message next to the field, and the table keeps the last valid result', async () => {
    await step.getByRole('button', { name: 'Back to the seed’s example' }).click();
    const cases = [
      ['γ (scale)', 'abc', /γ: “abc” is not a number/],
      ['β (shift)', '', /β is empty/],
      ['ε (epsilon)', '0', /Expected a positive number/],  // the core's own error value, field "eps"
      ['ε (epsilon)', '-1e-5', /Expected a positive number/],
      ['Batch x', '', /The batch is empty/],
      ['Batch x', '1; 2; x', /Value 3: “x” is not a number/],
      ['Batch x', '1e308 -1e308', /too large/],  // the core: the variance overflows a double
    ];
    for (const [name, text, message] of cases) {
      const before = await field(name).inputValue();
      await field(name).fill(text);
      assert.match(await errorOf(name), message, `${name} = ${JSON.stringify(text)}`);
      assert.equal(await field(name).getAttribute('aria-invalid'), 'true');
      const xhat = await stage('normalized');
      assert.equal(xhat.variance, 0.999992, `the last valid result stays after ${name} = ${JSON.stringify(text)}`);
      await field(name).fill(before);
      assert.equal(await errorOf(name), '');
    }
  });

  test('one value: the forward pass answers (σ² = 0, x̂ = 0, y = β) and the page explains why', async () => {
    await field('Batch x').fill('7');
    await field('β (shift)').fill('0.5');
    assert.equal(await errorOf('Batch x'), '');
    const xhat = await stage('normalized');
    assert.deepEqual(xhat.values, [0]);
    assert.equal(xhat.variance, 0);
    assert.deepEqual((await stage('scaled and shifted')).values, [0.5]);
    assert.match(await step.locator('.figure-note').textContent(), /a single value/);
    await step.getByRole('button', { name: 'Back to the seed’s example' }).click();
    assert.equal((await stage('normalized')).variance, 0.999992);
  });

  test('nothing reached the console: no errors, no CSP violations, no outside requests', () => {
    assertNoProblems(lesson.problems, 'step 5');
  });
});
