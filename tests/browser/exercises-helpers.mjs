// exercises-helpers.mjs — what the exercises' browser tests share: opening the lesson with every
// exercise list mounted, finding an exercise card, reading the stored progress, answering by keyboard.
// (Not a test file itself: node --test runs only *.test.mjs.)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mountAllFigures, projectRoot } from './lib/index.mjs';

export const PROGRESS_KEY = 'bnkata:v1:progress';

// Opens the lesson (site.open's `where`: a full URL or what follows the served address) and mounts
// every figure, so that every exercise card exists.
export async function openExercises(site, where, options) {
  const opened = await site.open(where, options);
  await mountAllFigures(opened.page);
  await opened.page.locator('article[data-exercise]').first().waitFor();
  return opened;
}

// Reloads the lesson and mounts every figure again.
export async function reloadExercises(page) {
  await page.waitForLoadState('networkidle');  // a reload would abort what is still loading (dist/editor.js)
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.bnkata === 'ready');
  await mountAllFigures(page);
  await page.locator('article[data-exercise]').first().waitFor();
}

export const card = (page, id) => page.locator(`article[data-exercise="${id}"]`);

// The native CLI: env BNKATA_CLI, else build/native/bnkata (scripts/test.sh builds it first).
export function cliPath() {
  const cli = process.env.BNKATA_CLI || path.join(projectRoot, 'build', 'native', 'bnkata');
  if (!existsSync(cli)) throw new Error(`${cli} not found: build the native CLI (cmake --preset native && cmake --build --preset native) or set BNKATA_CLI`);
  return cli;
}

// `bnkata compute` on one request: the exercise's data comes from the native core, not from the page.
export function cliCompute(request) {
  const out = spawnSync(cliPath(), ['compute'], { input: JSON.stringify(request), encoding: 'utf8' });
  if (out.error) throw out.error;
  return JSON.parse(out.stdout);
}

// `bnkata check FILE` → { status, stdout }.
export function cliCheck(file) {
  const out = spawnSync(cliPath(), ['check', file], { encoding: 'utf8' });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

export const storedProgress = (page) => page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY);

// The seed the page's exercises were generated from (shown in the progress panel).
export async function pageSeed(page) {
  const text = await page.locator('.progress-seed').textContent();
  const match = /seed,? (\d+)/.exec(text);
  if (!match) throw new Error(`no seed in "${text}"`);
  return Number(match[1]);
}

// Types `text` into the focused control by keyboard: select what is there, then insert the text.
export async function typeInto(page, locator, text) {
  await locator.focus();
  await page.keyboard.press('Control+A');
  if (text.length > 200) await page.keyboard.insertText(text);  // a paste: typing 20,000 keys takes minutes
  else await page.keyboard.type(text);
}

// The text of a card's verdict once it shows one (waits for the live region to fill).
export async function verdictOf(cardLocator) {
  const verdict = cardLocator.locator('.verdict');
  await verdict.locator('.verdict-head').waitFor();
  return verdict.textContent();
}
