#!/usr/bin/env node
// How long a learner waits for a lab run, and what the pool of training Workers buys. A benchmark, not a
// test: it prints tables of wall times and their ratios.
//
//   node scripts/bench-lab-run.mjs [--rounds 3] [--workers N] [--paper | --paper-only] [--dir dist]
//
// Each run opens the built lesson over http in a fresh headless-Chromium context at a #lab?… link, presses
// Play as a learner would, and times Play → the lab's status "done". That includes loading the lab's
// module and the MNIST digits on demand, the training in the Web Workers, and every plot update.
//
//   - the reduced Fig. 1 run (#lab?exp=fig1: 3,000 steps, two networks) and the learning-rate sweep
//     (#lab?exp=lr-sweep: 16 networks of 500 steps), each with a pool of 1 Worker and of N (default 2,
//     the link's workers= setting), back to back in every round, the order alternating by round: this
//     machine's speed drifts with other processes, so only the ratio within a round compares like with
//     like. Printed: each round's times and ratio, and the median ratio (targets: ≤ 0.6×);
//   - with --paper (or --paper-only, which skips the two above), the paper-length Fig. 1 run
//     (steps=50000) with 1 Worker and with N, back to back (target: < 90 s with N; the ratio says what the
//     pool bought in the same minutes of the machine). A learner's pool is N = 2 on a two-core machine
//     (worker-host.js poolSize).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POOL_TARGET = 0.6;
const PAPER_TARGET_S = 90;

function parseArgs(argv) {
  const options = { rounds: 3, workers: 2, paper: false, paperOnly: false, dir: process.env.BNKATA_DIST_DIR || 'dist' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') options.rounds = Number(argv[++i]);
    else if (argv[i] === '--workers') options.workers = Number(argv[++i]);
    else if (argv[i] === '--paper') options.paper = true;
    else if (argv[i] === '--paper-only') options.paper = options.paperOnly = true;
    else if (argv[i] === '--dir') options.dir = argv[++i];
    else { console.error('usage: node scripts/bench-lab-run.mjs [--rounds 3] [--workers N] [--paper | --paper-only] [--dir dist]'); process.exit(2); }
  }
  for (const name of ['rounds', 'workers']) {
    if (!Number.isInteger(options[name]) || options[name] < 1) { console.error(`bench-lab-run: --${name} expects a whole number ≥ 1`); process.exit(2); }
  }
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
      null, { timeout: 20 * 60 * 1000, polling: 100 });
    const seconds = (Date.now() - started) / 1000;
    const status = await lab.getAttribute('data-lab-status');
    const workers = await lab.getAttribute('data-lab-workers');
    const summaries = await lab.locator('.lab-summary').allTextContents();
    return { seconds, status, workers, summaries };
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: process.env.BNKATA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const server = await startServer({ dir: options.dir, base: '/lesson/', port: 0 });
  const N = options.workers;
  try {
    const link = (hash) => `${server.url}#lab?${hash}`;
    console.log(`Lab runs in the page, Play → done (node scripts/bench-lab-run.mjs --rounds ${options.rounds} --workers ${N}${options.paperOnly ? ' --paper-only' : options.paper ? ' --paper' : ''})`);
    console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}; Chromium ${browser.version()}\n`);
    for (const [name, hash] of options.paperOnly ? [] : [['Reduced Fig. 1 (3,000 steps × 2 networks)', 'exp=fig1'], ['Learning-rate sweep (16 networks × 500 steps)', 'exp=lr-sweep']]) {
      console.log(name);
      console.log(`round  1 Worker (s)  ${N} Workers (s)  ratio  load avg`);
      const ratios = [];
      let last;
      for (let r = 0; r < options.rounds; r++) {
        const times = {};
        for (const size of r % 2 ? [N, 1] : [1, N]) {
          last = await oneRun(browser, link(`${hash}&workers=${size}`));
          if (last.status !== 'done') throw new Error(`${hash} with ${size} workers ended ${last.status}`);
          times[size] = last.seconds;
        }
        ratios.push(times[N] / times[1]);
        console.log(`${String(r + 1).padStart(5)}  ${times[1].toFixed(1).padStart(12)}  ${times[N].toFixed(1).padStart(14)}  ${ratios.at(-1).toFixed(2)}×  ${os.loadavg()[0].toFixed(1)}`);
      }
      const m = median(ratios);
      console.log(`median ratio ${m.toFixed(2)}× (target ≤ ${POOL_TARGET}×: ${m <= POOL_TARGET ? 'met' : 'NOT met'})`);
      console.log(`last run's summaries: ${last.summaries.map((w) => w.trim().replace(/\s+/g, ' ')).join(' | ')}\n`);
    }
    if (options.paper) {
      console.log('Paper-length Fig. 1 (50,000 steps × 2 networks)');
      console.log('Workers  Play → done (s)  status  < 90 s  load avg');
      const seconds = {};
      for (const size of [1, N]) {
        const r = await oneRun(browser, link(`exp=fig1&steps=50000&workers=${size}`));
        seconds[size] = r.seconds;
        console.log(`${String(r.workers).padStart(7)}  ${r.seconds.toFixed(1).padStart(15)}  ${r.status.padEnd(6)}  ${r.status === 'done' && r.seconds < PAPER_TARGET_S ? 'yes' : 'NO '}     ${os.loadavg()[0].toFixed(1)}`);
      }
      console.log(`${N} Workers / 1: ${(seconds[N] / seconds[1]).toFixed(2)}×`);
    }
    console.log(`\n(load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}: other processes share these CPUs)`);
  } finally {
    await server.close();
    await browser.close();
  }
}

main().catch((error) => { console.error(`bench-lab-run: ${error.message}`); process.exit(1); });
