// Step 1 — normalization, driven as a learner would: by role and label. The expected numbers are the
// seed's (the kata's worked example: x = [1, 2, 3, 4], ε = 1e-5 → μ 2.5, σ² 1.25, x̂ ≈ [−1.341635, −0.447212, 0.447212,
// 1.341635]) and others derived by hand and checked with NumPy 1.24 (quoted next to each).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, assertNoProblems, toNumber, useSite } from './lib/index.mjs';
import { runNative } from '../node/lib/wasm-core.mjs';

describe('step 1: normalize a batch', () => {
  const site = useSite();
  let lesson;
  let step;

  before(async () => {
    lesson = await site.open('#step-1');
    step = lesson.page.locator('#step-1');
    await step.getByRole('table', { name: 'Batch statistics' }).waitFor();
  });

  const batchField = () => step.getByRole('textbox', { name: 'Batch x' });
  // The value in the row of the "Batch statistics" table whose header is `name`.
  const statistic = async (name) => toNumber(await step.getByRole('table', { name: 'Batch statistics' })
    .getByRole('row').filter({ has: lesson.page.getByRole('rowheader', { name, exact: true }) })
    .getByRole('cell').textContent());
  const normalizedValues = async () => {
    const rows = step.getByRole('table', { name: 'Each value and its normalized value' }).locator('tbody').getByRole('row');
    const texts = await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[2].textContent));
    return texts.map(toNumber);
  };
  // The inline message tied to the batch field by aria-describedby.
  const errorText = async () => batchField().evaluate((input) => input.getAttribute('aria-describedby').split(' ')
    .map((id) => document.getElementById(id)).find((el) => el.classList.contains('field-error')).textContent);

  async function typeBatch(text) {
    await batchField().fill(text);
  }

  test('the seed’s batch [1, 2, 3, 4]: μ_B 2.5, σ²_B 1.25, x̂ ≈ [−1.341635, −0.447212, 0.447212, 1.341635]', async () => {
    await step.getByRole('button', { name: 'The seed’s batch 1, 2, 3, 4' }).click();
    assert.equal(await statistic('Mean μB'), 2.5);
    assert.equal(await statistic('Variance σ²B'), 1.25);
    assertClose(await statistic('Denominator √(σ²B + ε)'), Math.sqrt(1.25001), 1e-6, '√(σ² + ε)');
    const xhat = await normalizedValues();
    [-1.341635, -0.447212, 0.447212, 1.341635].forEach((want, i) => assertClose(xhat[i], want, 1e-6, `x̂${i + 1}`));
    assert.equal(await statistic('Mean of x̂'), 0);
    assert.equal(await statistic('Variance of x̂'), 0.999992);
  });

  test('typing a new batch updates μ, σ² and x̂ (x = [2, 4, 6, 8]: μ 5, σ² 5, x̂ ≈ ±1.341639, ±0.447213)', async () => {
    await typeBatch('2, 4, 6, 8');
    assert.equal(await statistic('Mean μB'), 5);
    assert.equal(await statistic('Variance σ²B'), 5);
    const xhat = await normalizedValues();
    [-1.341639, -0.447213, 0.447213, 1.341639].forEach((want, i) => assertClose(xhat[i], want, 1e-6, `x̂${i + 1}`));
  });

  test('pasted lists with commas, spaces and new lines all read as the same batch', async () => {
    for (const text of ['1\n2\n3\n4', '1 2 3 4', '[1.0, 2.0, 3.0, 4.0]', '1,2;3\t4']) {
      await typeBatch('9, 9');  // something else first, so that a stale 2.5 cannot pass
      await typeBatch(text);
      assert.equal(await statistic('Mean μB'), 2.5, JSON.stringify(text));
      assert.equal(await statistic('Variance σ²B'), 1.25, JSON.stringify(text));
    }
  });

  test('the arrow keys move a point on the number line, and the batch follows', async () => {
    await typeBatch('1, 2, 3, 4');
    const point = step.getByRole('slider', { name: 'x₁, value 1 of 4' });
    await point.focus();
    await lesson.page.keyboard.press('ArrowRight');  // the axis runs 0 … 5, so one step is 0.1
    await assert.doesNotReject(async () => {
      await lesson.page.waitForFunction(() => document.querySelector('#step-1 textarea').value === '1.1, 2, 3, 4');
    });
    assert.equal(await statistic('Mean μB'), 2.525);                 // (1.1 + 2 + 3 + 4) / 4
    assertClose(await statistic('Variance σ²B'), 1.176875, 1e-9, 'σ²');  // NumPy: np.var([1.1, 2, 3, 4])
    assertClose((await normalizedValues())[0], -1.313554, 1e-6, 'x̂₁');
    assert.equal(await point.getAttribute('aria-valuenow'), '1.1');
  });

  test('dragging a point with the mouse changes that value and the statistics with it', async () => {
    await typeBatch('1, 2, 3, 4');
    const point = step.getByRole('slider', { name: 'x₄, value 4 of 4' });
    const box = await point.boundingBox();
    const { page } = lesson;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const values = (await batchField().inputValue()).split(',').map(Number);
    assert.deepEqual(values.slice(0, 3), [1, 2, 3]);
    assert.ok(values[3] > 4, `x₄ moved right: ${values[3]}`);
    assertClose(await statistic('Mean μB'), values.reduce((a, b) => a + b) / 4, 1e-9, 'μ after the drag');
  });

  test('dragging a point with a finger works too (touch events, in a context with a touch screen)', async () => {
    const context = await site.browser.newContext({ hasTouch: true, viewport: { width: 390, height: 800 }, reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}#step-1`);
      const touchStep = page.locator('#step-1');
      const point = touchStep.getByRole('slider', { name: 'x₁, value 1 of 4' });
      await point.scrollIntoViewIfNeeded();
      const box = await point.boundingBox();
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      // Real touch input through the DevTools protocol: the browser turns it into pointer events.
      const cdp = await context.newCDPSession(page);
      const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
      await touch('touchStart', [{ x, y }]);
      for (let dx = 10; dx <= 40; dx += 10) await touch('touchMove', [{ x: x - dx, y }]);
      await touch('touchEnd', []);
      const values = (await touchStep.getByRole('textbox', { name: 'Batch x' }).inputValue()).split(',').map(Number);
      assert.ok(values[0] < 1, `x₁ moved left under the finger: ${values[0]}`);
      assert.deepEqual(values.slice(1), [2, 3, 4]);
    } finally {
      await context.close();
    }
  });

  test('a constant batch: σ²_B = 0, the denominator is √ε, x̂ = 0 whatever ε is', async () => {
    await step.getByRole('button', { name: 'Constant 3, 3, 3, 3', exact: true }).click();
    assert.equal(await statistic('Variance σ²B'), 0);
    assertClose(await statistic('Denominator √(σ²B + ε)'), 0.00316228, 1e-8, '√1e-5 (NumPy: 0.0031622776601683794)');
    assert.deepEqual(await normalizedValues(), [0, 0, 0, 0]);
    assert.match(await step.locator('.figure-note').textContent(), /Without ε this would be 0 \/ 0/);

    const eps = step.getByRole('slider', { name: /ε \(epsilon\)/ });
    await eps.focus();
    for (let i = 0; i < 10; i++) await lesson.page.keyboard.press('ArrowLeft');  // 10 half-decades: 1e-5 → 1e-10
    assert.equal(await eps.getAttribute('aria-valuetext'), 'ε = 1e−10');
    assertClose(await statistic('Denominator √(σ²B + ε)'), 1e-5, 1e-12, '√1e-10');
    assert.deepEqual(await normalizedValues(), [0, 0, 0, 0]);
    for (let i = 0; i < 10; i++) await lesson.page.keyboard.press('ArrowRight');
    assert.equal(await eps.getAttribute('aria-valuetext'), 'ε = 1e−5');
  });

  test('a nearly constant batch: ε decides how far the tiny difference is blown up (NumPy: 0.234978 at 1e-5, 1.731589 at 1e-10)', async () => {
    await step.getByRole('button', { name: 'Nearly constant 3, 3, 3, 3.001' }).click();
    assertClose((await normalizedValues())[3], 0.234978, 1e-6, 'x̂₄ at ε = 1e-5');
    const eps = step.getByRole('slider', { name: /ε \(epsilon\)/ });
    await eps.fill('-10');
    assertClose((await normalizedValues())[3], 1.731589, 1e-6, 'x̂₄ at ε = 1e-10');
    await eps.fill('-5');
  });

  test('a batch offset by 10⁸ normalizes exactly like [1, 2, 3, 4]', async () => {
    await step.getByRole('button', { name: 'Offset by 10⁸' }).click();
    assert.equal(await statistic('Mean μB'), 100000002.5);
    assert.equal(await statistic('Variance σ²B'), 1.25);
    const xhat = await normalizedValues();
    [-1.341635, -0.447212, 0.447212, 1.341635].forEach((want, i) => assertClose(xhat[i], want, 1e-6, `x̂${i + 1}`));
  });

  test('a seed reproduces its random batch: the core’s draw, as `bnkata compute` draws it', async () => {
    const seed = step.getByRole('textbox', { name: 'Seed' });
    const draw = step.getByRole('button', { name: 'Draw a random batch' });
    await seed.fill('42');
    await draw.click();
    const first = await batchField().inputValue();
    const native = runNative(JSON.stringify({ op: 'draw_batch', seed: 42, purpose: 'normalize', size: 6, mean: 5, sd: 2, decimals: 2 }));
    assert.equal(first, JSON.parse(native.stdout).values.join(', '));
    assert.equal(await seed.inputValue(), '43');
    await draw.click();
    assert.notEqual(await batchField().inputValue(), first);
    await seed.fill('42');
    await draw.click();
    assert.equal(await batchField().inputValue(), first);
  });

  test('bad input gets a message next to the field, and the last valid result stays on screen', async () => {
    await typeBatch('1, 2, 3, 4');
    const cases = [
      ['1, two, 3', /Value 2: “two” is not a number/],
      ['', /The batch is empty/],
      ['1e309, 2', /too large for double precision/],
      ['1e308, -1e308', /too large/],  // the core: the variance overflows a double
      ['0x10, 1', /“0x10” is not a number/],
    ];
    for (const [text, message] of cases) {
      await typeBatch(text);
      assert.match(await errorText(), message, JSON.stringify(text));
      assert.equal(await batchField().getAttribute('aria-invalid'), 'true');
      assert.equal(await statistic('Mean μB'), 2.5, `the last valid μ stays after ${JSON.stringify(text)}`);
      assert.equal(await statistic('Variance σ²B'), 1.25);
    }
    await typeBatch('1, 2, 3, 4');
    assert.equal(await errorText(), '');
    assert.equal(await batchField().getAttribute('aria-invalid'), null);
  });

  test('one value is fine for the forward pass: σ² = 0, x̂ = 0, and the page says why', async () => {
    await typeBatch('5');
    assert.equal(await errorText(), '');
    assert.equal(await statistic('Mean μB'), 5);
    assert.equal(await statistic('Variance σ²B'), 0);
    assert.deepEqual(await normalizedValues(), [0]);
    assert.match(await step.locator('.figure-note').textContent(), /single value is its own mean/);
  });

  test('nothing reached the console: no errors, no CSP violations, no outside requests', () => {
    assertNoProblems(lesson.problems, 'step 1');
  });
});
