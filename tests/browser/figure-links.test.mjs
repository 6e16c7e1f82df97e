// Figure state in the URL hash: an instructor shares #step-1?x=1,2,3,100&eps=1e-3 or
// #step-5?x=2,4,6,8&gamma=2&beta=0.5&eps=1e-3 and the learner sees that batch, computed by the core;
// editing the figure updates the hash; a value in a link that does not parse is named in one notice and
// replaced by its default; plain #step-1 and #step-5 links are unchanged.
//
// Expected numbers derived by hand and checked with NumPy 1.24 (the page shows 6 significant digits):
//   x = [1, 2, 3, 100], ε = 1e-3: μ = 26.5, σ² = 1801.25 (squared deviations 650.25 + 600.25 + 552.25 +
//     5402.25 = 7205, ÷ 4), √(σ² + ε) = 42.44114748684347, x̂ = [−0.60083201, −0.57726997, −0.55370793, 1.73180991]
//   x = [2, 4, 6, 8], γ = 2, β = 0.5, ε = 1e-3: σ² = 5, var x̂ = 5 / 5.001 = 0.99980004, y mean 0.5,
//     y var = 4 × 0.99980004 = 3.99920016
//   x = [5, 6]: μ = 5.5, σ² = 0.25
//   x = [1, 2, 3, 4, 5], ε = 1e-5: σ² = 2, var x̂ = 2 / (2 + 1e-5)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, fileUrl, useSite } from './lib/index.mjs';

const toNumber = (text) => Number(text.trim().replace(/\u2212/g, '-'));

function close(actual, expected, tolerance, label) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

// The text of the field-error message tied (aria-describedby) to a control.
const errorOf = (locator) => locator.evaluate((input) => input.getAttribute('aria-describedby').split(' ')
  .map((id) => document.getElementById(id)).find((el) => el && el.classList.contains('field-error')).textContent);

// Step 1's figure, driven by role and label.
function stepOne(page) {
  const step = page.locator('#step-1');
  return {
    step,
    batch: step.getByRole('textbox', { name: 'Batch x' }),
    eps: step.getByRole('slider', { name: /ε \(epsilon\)/ }),
    async statistic(name) {
      return toNumber(await step.getByRole('table', { name: 'Batch statistics' }).getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell').textContent());
    },
    async xhat() {
      const rows = step.getByRole('table', { name: 'Each value and its normalized value' }).locator('tbody').getByRole('row');
      return (await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[2].textContent))).map(toNumber);
    },
  };
}

// Step 5's figure.
function stepFive(page) {
  const step = page.locator('#step-5');
  return {
    step,
    field: (name) => step.getByRole('textbox', { name }),
    async stage(what) {
      const row = step.getByRole('table', { name: 'Mean and variance after each stage' }).getByRole('row').filter({ hasText: what });
      const cells = await row.getByRole('cell').allTextContents();
      return { values: cells[0].split(',').map(toNumber), mean: toNumber(cells[1]), variance: toNumber(cells[2]) };
    },
  };
}

// The step's heading is in the upper half of the viewport once the figures near it have mounted.
async function landedOn(page, id) {
  await page.waitForFunction((sectionId) => {
    const top = document.getElementById(sectionId).querySelector('h2').getBoundingClientRect().top;
    return top >= 0 && top < innerHeight / 2;
  }, id, { timeout: 10000 });
}

describe('figure state in the URL hash', () => {
  const site = useSite();

  test('#step-1?x=1,2,3,100&eps=1e-3 lands on step 1 and shows the core’s numbers for that batch', async () => {
    const { page, problems, close: done } = await site.open('#step-1?x=1,2,3,100&eps=1e-3');
    try {
      await landedOn(page, 'step-1');
      const one = stepOne(page);
      assert.equal(await one.batch.inputValue(), '1, 2, 3, 100');
      assert.equal(await one.eps.inputValue(), '-3');
      assert.equal(await one.statistic('Mean μB'), 26.5);
      assert.equal(await one.statistic('Variance σ²B'), 1801.25);
      close(await one.statistic('Denominator √(σ²B + ε)'), 42.44114748684347, 1e-6, '√(σ² + ε)');
      const xhat = await one.xhat();
      [-0.60083201, -0.57726997, -0.55370793, 1.73180991].forEach((want, i) => close(xhat[i], want, 1e-6, `x̂${i + 1}`));
      assert.equal(await page.evaluate(() => location.hash), '#step-1?x=1,2,3,100&eps=1e-3', 'loading a link does not rewrite it');
      assertNoProblems(problems);
    } finally {
      await done();
    }
  });

  // A plain link lands on its step, marked current in the navigator, and its hash is left as it is.
  async function assertPlainLinkLanded(page, id) {
    await landedOn(page, id);
    const current = await page.getByRole('navigation', { name: 'Kata steps' }).locator('[aria-current="step"]').getAttribute('href');
    assert.equal(current, `#${id}`);
    assert.equal(await page.evaluate(() => location.hash), `#${id}`);
  }

  test('a plain #step-1 link lands on step 1 and leaves the hash alone until an edit; editing step 1 (typing a batch, moving ε) updates the hash; the new link restores the same state', async () => {
    const lesson = await site.open('#step-1');
    try {
      const { page, problems } = lesson;
      await assertPlainLinkLanded(page, 'step-1');
      const one = stepOne(page);
      await one.batch.fill('5, 6');
      await page.waitForFunction(() => location.hash === '#step-1?x=5,6');
      await one.eps.focus();
      await page.keyboard.press('ArrowRight');  // 1e-5 → 10^-4.5
      await page.waitForFunction(() => location.hash === '#step-1?x=5,6&eps=3.16227766017e-5');
      const link = await page.evaluate(() => location.href);
      assertNoProblems(problems);

      await lesson.load(link);  // a new visit to the link
      const restored = stepOne(page);
      assert.equal(await restored.batch.inputValue(), '5, 6');
      assert.equal(await restored.eps.inputValue(), '-4.5');
      assert.equal(await restored.statistic('Mean μB'), 5.5);
      assert.equal(await restored.statistic('Variance σ²B'), 0.25);
      close(await restored.statistic('Denominator √(σ²B + ε)'), Math.sqrt(0.25 + 3.16227766017e-5), 1e-6, '√(σ² + ε)');
      assertNoProblems(problems);
    } finally {
      await lesson.close();
    }
  });

  test('a bad batch or ε in a step 1 link is named in one notice and replaced by its default', async () => {
    const { page, problems, close: done } = await site.open('#step-1?x=1,abc,3&eps=2e-4&colour=red');
    try {
      await landedOn(page, 'step-1');
      const one = stepOne(page);
      const notice = await one.step.getByText(/This link’s settings had problems/).textContent();
      assert.match(notice, /x: expected numbers separated by commas; item 2, "abc", is not a number/);
      assert.match(notice, /eps: 2e-4 is not on the slider/);
      assert.match(notice, /colour: no such setting here; ignored/);
      assert.equal(await one.batch.inputValue(), '1, 2, 3, 4', 'the batch is the default');
      assert.equal(await one.eps.inputValue(), '-5', 'ε is the default');
      assert.equal(await one.statistic('Mean μB'), 2.5, 'the default batch [1, 2, 3, 4] is computed');
      assert.equal(await one.statistic('Variance σ²B'), 1.25);
      assertNoProblems(problems);
    } finally {
      await done();
    }
  });

  test('#step-5?x=2,4,6,8&gamma=2&beta=0.5&eps=1e-3 restores step 5 (from disk too), and editing updates the hash', async () => {
    const { page, problems, close: done } = await site.open(fileUrl('#step-5?x=2,4,6,8&gamma=2&beta=0.5&eps=1e-3'));
    try {
      await landedOn(page, 'step-5');
      const five = stepFive(page);
      assert.equal(await five.field('γ (scale)').inputValue(), '2');
      const x = await five.stage('the batch as given');
      assert.deepEqual(x.values, [2, 4, 6, 8]);
      assert.equal(x.variance, 5);
      close((await five.stage('normalized')).variance, 0.99980004, 1e-6, 'var x̂');
      const y = await five.stage('scaled and shifted');
      close(y.mean, 0.5, 1e-12, 'mean y');
      close(y.variance, 3.99920016, 1e-6, 'var y');

      await five.field('β (shift)').fill('-1');
      await page.waitForFunction(() => location.hash === '#step-5?x=2,4,6,8&gamma=2&beta=-1&eps=1e-3');
      await five.field('γ (scale)').fill('not a number');  // invalid: the hash keeps the last valid state
      assert.match(await errorOf(five.field('γ (scale)')), /γ: “not a number” is not a number/);
      await five.field('ε (epsilon)').fill('1e-5');          // still invalid as a whole (γ): no write
      await page.getByRole('button', { name: 'Back to the seed’s example' }).click();
      await page.waitForFunction(() => location.hash === '#step-5');  // every value the default: the plain link
      assertNoProblems(problems);
    } finally {
      await done();
    }
  });

  test('a bad value in a step 5 link is named in one notice and replaced by its default; the rest is used', async () => {
    const { page, problems, close: done } = await site.open('#step-5?x=1,2,3,4,5&gamma=abc');
    try {
      await landedOn(page, 'step-5');
      const five = stepFive(page);
      assert.match(await five.step.getByText(/This link’s settings had a problem/).textContent(), /gamma: expected a number, got "abc"/);
      assert.equal(await five.field('γ (scale)').inputValue(), '1', 'γ is the default');
      const x = await five.stage('the batch as given');
      assert.deepEqual(x.values, [1, 2, 3, 4, 5], 'the link’s batch is used');
      close((await five.stage('normalized')).variance, 2 / (2 + 1e-5), 1e-7, 'var x̂');
      assertNoProblems(problems);
    } finally {
      await done();
    }
  });

  test('a plain #step-5 link lands on step 5 and leaves the hash alone; a link followed on the open page (the hash changes) restores that batch too', async () => {
    const { page, problems, close: done } = await site.open('#step-5');
    try {
      await assertPlainLinkLanded(page, 'step-5');
      await page.evaluate(() => { location.hash = '#step-5?x=3,5&beta=2'; });
      const five = stepFive(page);
      await page.waitForFunction(() => document.querySelector('#step-5 .figure-verify textarea')?.value === '3, 5');
      const y = await five.stage('scaled and shifted');
      assert.equal(y.mean, 2, 'mean y = β');
      assert.equal((await five.stage('the batch as given')).variance, 1);
      assertNoProblems(problems);
    } finally {
      await done();
    }
  });
});
