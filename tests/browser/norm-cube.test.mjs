// The normalization cube (step 1), driven by mouse and keyboard as a learner would. Which values share a
// mean and variance is the definition of each kind (Wu & He 2018, Fig. 2): on a (2, 4, 2, 2) tensor batch
// norm has 4 sets of N·H·W = 8 values, layer norm 2 of C·H·W = 16, instance norm 8 of H·W = 4, group norm
// with G = 2 4 sets of 8. Every statistic the figure shows must be the one `bnkata compute` gives for the
// tensor on screen.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, assertNoProblems, toNumber, useSite } from './lib/index.mjs';
import { cliCompute } from './exercises-helpers.mjs';

const N = 2;
const C = 4;
const H = 2;
const W = 2;
const cellLabel = (n, c, h, w) => `x, example ${n + 1}, channel ${c + 1}, row ${h + 1}, column ${w + 1}`;

describe('the normalization cube', () => {
  const site = useSite();
  let lesson;
  let figure;

  before(async () => {
    lesson = await site.open('#normalization-family');
    figure = lesson.page.getByRole('group', { name: 'Interactive: the normalization cube' });
    await figure.scrollIntoViewIfNeeded();
    await figure.getByRole('table', { name: 'Shared statistics' }).waitFor();
  });

  const cell = (n, c, h, w) => figure.getByRole('textbox', { name: cellLabel(n, c, h, w), exact: true });
  const summary = () => figure.locator('.cube-summary').textContent();
  // The grid's message: what is wrong with a value typed into it.
  const gridError = () => figure.locator('.cube-grid .field-error');
  const focusedLabel = () => lesson.page.evaluate(() => document.activeElement.getAttribute('aria-label'));

  // The tensor as the grid shows it, nested [N][C][H][W] for the core. Every value box is read at once,
  // keyed by its aria-label, which is its accessible name (a role lookup per value searches the page 32 times).
  async function tensorOnScreen() {
    const boxes = await figure.getByRole('textbox').evaluateAll((inputs) => inputs.map((input) => [input.getAttribute('aria-label'), input.value]));
    const byName = new Map(boxes);
    const valueOf = (n, c, h, w) => {
      const name = cellLabel(n, c, h, w);
      assert.ok(byName.has(name), `the grid has a value box named "${name}"`);
      return toNumber(byName.get(name));
    };
    const x = [];
    for (let n = 0; n < N; n++) {
      x.push([]);
      for (let c = 0; c < C; c++) {
        x[n].push([]);
        for (let h = 0; h < H; h++) {
          x[n][c].push([]);
          for (let w = 0; w < W; w++) x[n][c][h].push(valueOf(n, c, h, w));
        }
      }
    }
    return x;
  }

  // The table's rows: [label, mean, variance].
  async function tableRows() {
    const rows = figure.getByRole('table', { name: 'Shared statistics' }).locator('tbody').getByRole('row');
    return (await rows.evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent, tr.cells[2].textContent])))
      .map(([label, mean, variance]) => [label, toNumber(mean), toNumber(variance)]);
  }

  // The values of the highlighted set: the inputs inside the tiles drawn as sharing the selected value's statistics.
  const highlighted = () => figure.locator('.cube-tile.is-shared').getByRole('textbox').count();

  // The table against `bnkata compute` on the tensor on screen: one row per set, in the core's order.
  async function assertStatisticsFromCore(kind, groups) {
    const request = { op: 'normalize', kind, x: await tensorOnScreen(), eps: 1e-5 };
    if (kind === 'group') request.groups = groups;
    const want = cliCompute(request);
    assert.ok(!want.error, JSON.stringify(want.error));
    const rows = await tableRows();
    const means = want.mean.flat();
    const variances = want.var.flat();
    assert.equal(rows.length, means.length, `${kind}: one row per set`);
    rows.forEach(([label, mean, variance], i) => {
      // The page shows six decimals.
      assertClose(mean, means[i], 5e-7 * Math.max(1, Math.abs(means[i])), `${kind} ${label}: mean`);
      assertClose(variance, variances[i], 5e-7 * Math.max(1, Math.abs(variances[i])), `${kind} ${label}: variance`);
    });
    return want;
  }

  test('each kind shades the set of values that share the selected value’s statistics, and the table is the core’s', async () => {
    await cell(0, 1, 0, 0).click();
    const expected = [
      ['Batch norm', 'batch', undefined, 4, 8, /channel 2/],
      ['Layer norm', 'layer', undefined, 2, 16, /example 1/],
      ['Instance norm', 'instance', undefined, 8, 4, /example 1, channel 2/],
      ['Group norm', 'group', 2, 4, 8, /example 1, group 1 \(channels 1–2\)/],
    ];
    for (const [name, kind, groups, sets, size, setName] of expected) {
      await figure.getByRole('radio', { name }).click();
      assert.equal(await highlighted(), size, `${name}: shaded values`);
      assert.match(await summary(), new RegExp(`${sets} sets of ${size} values`), name);
      assert.match(await summary(), setName, name);
      await assertStatisticsFromCore(kind, groups);
      assert.match(await figure.locator('tr[aria-current="true"] th').textContent(), setName, `${name}: the selected set’s row`);
    }
  });

  test('G: 1 group is layer norm’s set of 16, 4 groups instance norm’s set of 4', async () => {
    await figure.getByRole('radio', { name: 'Group norm' }).click();
    const groups = figure.getByRole('combobox', { name: 'Groups G' });
    for (const [g, size] of [[1, 16], [4, 4], [2, 8]]) {
      await groups.selectOption(String(g));
      assert.equal(await highlighted(), size, `G = ${g}`);
      await assertStatisticsFromCore('group', g);
    }
  });

  test('by keyboard: the arrow keys pick the kind and walk the grid; typing a value updates the statistics', async () => {
    const { page } = lesson;
    await figure.getByRole('radio', { name: 'Group norm' }).focus();
    await page.keyboard.press('ArrowUp');
    assert.ok(await figure.getByRole('radio', { name: 'Instance norm' }).isChecked(), 'ArrowUp moves to the previous kind');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.ok(await figure.getByRole('radio', { name: 'Batch norm' }).isChecked());

    // The grid is one tab stop: the selected value. Arrows move along w then across channels, and along h
    // then across examples.
    await cell(0, 0, 0, 0).click();
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedLabel(), cellLabel(0, 0, 0, 1));
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedLabel(), cellLabel(0, 1, 0, 0), 'past the last column of a channel: the next channel');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedLabel(), cellLabel(1, 1, 0, 0), 'past the last row of an example: the next example');
    assert.equal(await cell(1, 1, 0, 0).getAttribute('tabindex'), '0');
    assert.equal(await cell(0, 0, 0, 0).getAttribute('tabindex'), '-1');
    assert.match(await summary(), /example 2, channel 2, row 1, column 1/);

    const before = await summary();
    await page.keyboard.type('40');  // focus selected the old value, so this replaces it
    await page.waitForFunction((text) => document.querySelector('.cube-summary').textContent !== text, before);
    assert.equal(await cell(1, 1, 0, 0).inputValue(), '40');
    assert.match(await summary(), /x = 40/);
    const want = await assertStatisticsFromCore('batch');
    assert.equal(want.mean[1] > 10, true, 'channel 2’s mean moved with the new value');

    // A value that is not a number: the message names it, and the statistics stay those of the last valid tensor.
    await page.keyboard.type('x');
    assert.match(await gridError().textContent(), /example 2, channel 2, row 1, column 1: “40x” is not a number/);
    assert.equal(await cell(1, 1, 0, 0).getAttribute('aria-invalid'), 'true');
    assertClose((await tableRows())[1][1], want.mean[1], 1e-6, 'channel 2’s mean, unchanged');

    // A value whose square overflows a double: the core refuses the tensor, and says why.
    await cell(1, 1, 0, 0).fill('1e200');
    assert.match(await gridError().textContent(), /too large/);
    assert.equal(await cell(1, 1, 0, 0).getAttribute('aria-invalid'), 'true');
    assertClose((await tableRows())[1][1], want.mean[1], 1e-6, 'channel 2’s mean, still that of the last tensor the core accepted');
  });

  test('a click on the cube selects that value; the reset button restores the example', async () => {
    await figure.getByRole('button', { name: 'Reset the example values' }).click();
    assert.equal(await cell(1, 1, 0, 0).inputValue(), '1');
    assert.equal(await gridError().textContent(), '');
    await figure.getByRole('radio', { name: 'Layer norm' }).click();
    // The cube is drawn back to front: the last cubelet is the front top right one, position (1, 1) of
    // example 1, channel 4.
    await figure.locator('.cube-cell .cube-face--front').last().click();
    assert.equal(await focusedLabel(), cellLabel(0, 3, 0, 0));
    assert.match(await summary(), /example 1, channel 4, row 1, column 1, x = 0, is in the set of example 1/);
    assert.equal(await highlighted(), 16);
  });

  test('the link carries the kind, G, the values and the selected value, and a reload restores them', async () => {
    const { page } = lesson;
    await figure.getByRole('radio', { name: 'Group norm' }).click();
    await figure.getByRole('combobox', { name: 'Groups G' }).selectOption('4');
    await cell(1, 2, 1, 0).click();
    await page.keyboard.type('-2.5');
    // The hash follows a moment after the last edit.
    await page.waitForFunction(() => location.hash.includes('x=') && location.hash.includes('-2.5'));
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /^#normalization-cube\?/);
    assert.match(hash, /kind=group/);
    assert.match(hash, /g=4/);
    assert.match(hash, /cell=27(&|$)/);  // example 2, channel 3, row 2, column 1: place 27 of 32
    const before = await summary();

    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.bnkata === 'ready');
    await figure.getByRole('table', { name: 'Shared statistics' }).waitFor();
    assert.ok(await figure.getByRole('radio', { name: 'Group norm' }).isChecked());
    assert.equal(await figure.getByRole('combobox', { name: 'Groups G' }).inputValue(), '4');
    assert.equal(await cell(1, 2, 1, 0).inputValue(), '-2.5');
    assert.equal(await cell(1, 2, 1, 0).getAttribute('tabindex'), '0', 'the selected value is the grid’s tab stop');
    assert.equal(await highlighted(), 4);
    assert.equal(await summary(), before);
    await assertStatisticsFromCore('group', 4);

    // A link the figure cannot use: each bad value is named, and its default is used.
    await page.evaluate(() => { location.hash = '#normalization-cube?kind=median&g=3&x=1,2'; });
    const notice = figure.getByText(/This link’s settings had problems/);
    await notice.waitFor();
    assert.match(await notice.textContent(), /kind: expected one of batch, layer, instance, group, got "median"/);
    assert.match(await notice.textContent(), /g: expected one of 1, 2, 4, got "3"/);
    assert.match(await notice.textContent(), /x: expected at least 32 numbers/);
    assert.ok(await figure.getByRole('radio', { name: 'Batch norm' }).isChecked());
    assert.equal(await cell(1, 2, 1, 0).inputValue(), '1', 'the example tensor’s value there');
    await assertStatisticsFromCore('batch');
    assertNoProblems(lesson.problems);
  });
});
