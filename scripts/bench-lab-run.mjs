#!/usr/bin/env node
// How long a learner waits for the reduced Ioffe & Szegedy Fig. 1 run (the target: within 30 s the two
// networks' accuracy and percentile plots have diverged). A benchmark, not a test: it prints a
// table and says whether each run finished within 30 s.
//
//   node scripts/bench-lab-run.mjs [--runs 3] [--dir dist]
//
// Each run opens the built lesson over http in a fresh headless-Chromium context at #lab?exp=fig1 (every
// setting at its default: 3,000 steps, both networks, full speed), presses Play as a learner would, and
// times Play → the lab's status "done". That includes loading the lab's module and the MNIST digits on
// demand, both networks' training in the Web Worker, and every plot update on the page. It then prints
// the lab's own words summaries of the accuracy and percentile plots, so the result can be read as well
// as timed.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_S = 30;

function parseArgs(argv) {
  const options = { runs: 3, dir: process.env.BNKATA_DIST_DIR || 'dist' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--dir') options.dir = argv[++i];
    else { console.error('usage: node scripts/bench-lab-run.mjs [--runs 3] [--dir dist]'); process.exit(2); }
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) { console.error('bench-lab-run: --runs expects a whole number ≥ 1'); process.exit(2); }
  options.dir = path.resolve(root, options.dir);
  return options;
}

async function oneRun(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const lab = page.locator('[data-figure="training-lab"]');
    const play = lab.getByRole('button', { name: 'Play', exact: true });
    await play.waitFor({ timeout: 30000 });
    const started = Date.now();
    await play.click();
    await page.waitForFunction(() => ['done', 'diverged', 'error'].includes(document.querySelector('[data-figure="training-lab"]').dataset.labStatus),
      null, { timeout: 10 * 60 * 1000, polling: 100 });
    const seconds = (Date.now() - started) / 1000;
    const status = await lab.getAttribute('data-lab-status');
    const summaries = await lab.locator('.lab-summary').allTextContents();
    return { seconds, status, summaries };
  } finally {
    await context.close();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: process.env.BNKATA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const server = await startServer({ dir: options.dir, base: '/lesson/', port: 0 });
  try {
    const url = `${server.url}#lab?exp=fig1`;
    const runs = [];
    for (let i = 0; i < options.runs; i++) runs.push(await oneRun(browser, url));
    console.log(`Reduced Fig. 1 run in the page — ${url} (node scripts/bench-lab-run.mjs)\n`);
    console.log('run  Play → done (s)  status  within 30 s');
    console.log('---  ---------------  ------  -----------');
    runs.forEach((r, i) => console.log(`${String(i + 1).padStart(3)}  ${r.seconds.toFixed(1).padStart(15)}  ${r.status.padEnd(6)}  ${r.status === 'done' && r.seconds < TARGET_S ? 'yes' : 'NO'}`));
    console.log('\nThe lab\'s summaries after the last run:');
    for (const words of runs.at(-1).summaries) console.log(`  - ${words.trim().replace(/\s+/g, ' ')}`);
    console.log(`\n(machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; Chromium ${browser.version()})`);
  } finally {
    await server.close();
    await browser.close();
  }
}

main().catch((error) => { console.error(`bench-lab-run: ${error.message}`); process.exit(1); });
