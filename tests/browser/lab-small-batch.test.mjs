// The lab's small-batch experiment, driven as a learner drives it: BatchNorm, GroupNorm and LayerNorm at
// batch sizes 2 to 60, with BN's placement as a setting. A short run (50 steps per point) checks the
// wiring, not the lesson's numbers (tests/node/lab-small-batch.test.mjs checks the text against a full
// native run):
//   - the placement setting says what is known about it, goes into the link, and reaches every lane;
//   - the run plots eval-mode accuracy and the train/eval gap for all three at every batch size;
//   - group and layer norm have no gap (their batch statistics are per example), as the text says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useSite, assertNoProblems } from './lib/index.mjs';

const site = useSite();

async function openLab(url) {
  const opened = await site.open(url);
  const lab = opened.page.locator('[data-figure="training-lab"]');
  await lab.getByRole('button', { name: 'Play', exact: true }).waitFor();
  return { ...opened, lab };
}

test('small batches: placement after the nonlinearity, three normalizations, five batch sizes, and no gap without batch statistics', async () => {
  const { page, lab, problems, close } = await openLab(`${site.url}#lab?exp=small-batch&steps=50&workers=2`);
  try {
    const placement = lab.getByRole('combobox', { name: 'Placement' });
    assert.equal(await placement.inputValue(), 'before', 'Ioffe & Szegedy\'s placement is the default');
    const note = lab.locator('.lab-note');
    assert.match(await note.textContent(), /Ioffe & Szegedy \(2015, §3\.2\) add it: they normalise x = Wu \+ b/);
    await placement.selectOption('after');
    await page.waitForFunction(() => location.hash.includes('placement=after'));
    assert.match(await note.textContent(), /after the nonlinearity, which Ioffe & Szegedy .* chose against .* does not say which works better/);

    await lab.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => ['done', 'diverged', 'error'].includes(document.querySelector('[data-figure="training-lab"]').dataset.labStatus), null, { timeout: 120000 });
    assert.equal(await lab.getAttribute('data-lab-status'), 'done', await lab.getByRole('status').textContent());
    assert.equal(await lab.locator('.lab-notice').isHidden(), true, 'the engine summarised the run (no notice)');

    const [accuracy, gap] = await lab.locator('.lab-summary').allTextContents();
    for (const name of ['BatchNorm', 'GroupNorm', 'LayerNorm']) {
      const said = accuracy.match(new RegExp(`${name} ([^;]*)`))[1];
      assert.match(said, /^[\d.]+ % at batch 2, [\d.]+ % at batch 4, [\d.]+ % at batch 8, [\d.]+ % at batch 16, [\d.]+ % at batch 60/, `${name}: ${said}`);
    }
    for (const name of ['GroupNorm', 'LayerNorm'])
      assert.match(gap, new RegExp(`${name} 0\\.0 points at batch 2, 0\\.0 points at batch 4, 0\\.0 points at batch 8, 0\\.0 points at batch 16, 0\\.0 points at batch 60`), gap);

    const [download] = await Promise.all([page.waitForEvent('download'), lab.getByRole('button', { name: 'JSON', exact: true }).click()]);
    const run = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(run.lanes.length, 15);
    assert.deepEqual([...new Set(run.lanes.map((l) => l.config.batchnorm))], ['after'], 'every lane has the chosen placement');
    assert.deepEqual([...new Set(run.lanes.map((l) => l.config.norm))], ['batch', 'group', 'layer']);
    assert.deepEqual(run.tables.eval.x, [2, 4, 8, 16, 60], 'the points arrive in lane order');
    for (const norm of ['group', 'layer']) assert.deepEqual(run.tables.gap.series[norm], [0, 0, 0, 0, 0], `${norm}: gap exactly 0`);
    assertNoProblems(problems);
  } finally {
    await close();
  }
});
