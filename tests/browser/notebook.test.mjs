// "Download as a notebook", pressed by keyboard: the page offers a .ipynb built from the core's exercises
// for its seed, with the learner's own numbers and every exercise's prompt. (That the notebook runs and
// its answers file passes `bnkata check` is tests/node/notebook.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSite, assertNoProblems } from './lib/index.mjs';
import { openExercises, cliCompute } from './exercises-helpers.mjs';

const site = useSite();

test('the notebook for the page’s seed downloads by keyboard, with the learner’s numbers and prompts', async () => {
  const { page, problems, close } = await openExercises(site, `?seed=7`);
  const button = page.getByRole('button', { name: 'Download as a notebook' });
  await button.focus();
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'bnkata-seed-7.ipynb');
  const notebook = JSON.parse(readFileSync(await file.path(), 'utf8'));
  assert.equal(notebook.nbformat, 4);
  const text = notebook.cells.map((c) => c.source.join('')).join('\n');
  const staged = cliCompute({ op: 'exercise', id: 's3-backward-staged', seed: 7 });
  assert.ok(text.includes(JSON.stringify(staged.data)), 'the learner’s batch for the backward pass is in it');
  assert.ok(text.includes(staged.prompt), 'with its prompt');
  assert.match(text, /"format": "bnkata-answers", "version": 1, "seed": 7/);
  assert.match(await page.locator('.progress-import-status').textContent(), /Downloaded the notebook for seed 7/);
  assertNoProblems(problems);
  await close();
});
