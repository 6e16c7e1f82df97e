#!/usr/bin/env node
// bench-page.mjs — the page budget: bytes of dist/, and cold time to interactive in headless Chromium
// relative to the same page without its lesson, measured in the same run. A benchmark, not a test: it
// prints tables and marks each target met or missed.
//
//   node scripts/bench-page.mjs [--runs 7] [--dir dist] [--compare OTHER_DIST]
//
// Bytes: every file of dist/, raw and gzipped (zlib level 9, what a static host would serve), and the
// totals. Target: ≤ 250 KiB gzipped in total.
//
// Time to interactive, defined: from navigation start (performance.timeOrigin) to the later of two
// moments: the first contentful paint (the learner sees the page), and the `bnkata:ready` event main.js
// dispatches once bnkata-core.js has been compiled and instantiated and every figure within a screen of
// the first viewport has mounted and drawn its first result. To check that "ready" means ready, each load
// then clicks the page at once and records how long that click waited for the main thread (the Event
// Timing API's first-input entry). Each load is cold: a fresh browser context (empty cache, no compiled
// code cache) per run. Measured over http from 127.0.0.1 (under /lesson/) and from file://. Each load
// also sums the layout shifts (Layout Instability API) up to bnkata:ready.
//
// Targets: interactive ≤ 1.5 × the reference rows' (below; each way of opening against its own
// reference), layout shift < 0.01, first visit ≤ 250 KiB gzipped. A ratio, not milliseconds: the machine's
// speed (a shared VM) moves both rows alike.
//
// --compare OTHER_DIST adds rows for another build of the page (e.g. an older commit's dist/), loaded in the
// same rotation, so that the two are compared at the same moments of a machine whose speed drifts.
//
// Loads alternate between the ways of opening the page (round-robin), so that a machine whose speed
// drifts during the run (a shared VM) slows every row alike. Two reference rows load the same page with
// the lesson's five step sections cut out — header, step navigator, progress panel, app.js and the core
// all stay — so the table also says how much of the time is the lesson's text and formulas, and how much
// is the browser, the core and the page's frame, which no change to the lesson can remove.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_GZ = 250 * 1024;
const BUDGET_RATIO = 1.5;
const BUDGET_SHIFT = 0.01;

function parseArgs(argv) {
  const options = { runs: 7, dir: process.env.BNKATA_DIST_DIR || 'dist' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--dir') options.dir = argv[++i];
    else if (argv[i] === '--compare') options.compare = argv[++i];
    else { console.error(`usage: node scripts/bench-page.mjs [--runs 7] [--dir dist] [--compare OTHER_DIST]`); process.exit(2); }
  }
  options.dir = path.resolve(root, options.dir);
  if (options.compare) options.compare = path.resolve(root, options.compare);
  return options;
}

const kib = (bytes) => (bytes / 1024).toFixed(1);

function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), rel) : [rel];
  });
}

function measureBytes(dir) {
  const rows = listFiles(dir).map((file) => {
    const content = readFileSync(path.join(dir, file));
    return { file, raw: statSync(path.join(dir, file)).size, gz: gzipSync(content, { level: 9 }).length };
  }).sort((a, b) => b.gz - a.gz);
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz }), { raw: 0, gz: 0 });
  return { rows, total };
}

async function timeToInteractive(browser, url, requested = new Set()) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.on('request', (request) => requested.add(request.url()));
  try {
    // The page's bnkata:ready (or bnkata:error) event calls straight back into this script, so that the
    // click below follows it as closely as a learner's could.
    let settled;
    const signalled = new Promise((resolve) => { settled = resolve; });
    await context.exposeBinding('__bnkataBench', (_source, outcome) => settled(outcome));
    await context.addInitScript(() => {
      let shift = 0;
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) shift += entry.value; })
        .observe({ type: 'layout-shift', buffered: true });
      document.addEventListener('bnkata:ready', () => {
        window.__bnkataReadyAt = performance.now();
        window.__bnkataShift = shift;
        window.__bnkataBench('ready');
      }, { once: true });
      document.addEventListener('bnkata:error', (e) => { window.__bnkataError = e.detail?.message || 'error'; window.__bnkataBench('error'); }, { once: true });
    });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    const outcome = await Promise.race([signalled, new Promise((resolve) => setTimeout(resolve, 30000, 'timeout'))]);
    if (outcome === 'timeout') throw new Error(`${url}: no bnkata:ready within 30 s`);
    // A learner's first click, as soon as the page says it is ready (on the masthead, where it does
    // nothing): how long it waits for the main thread (the Event Timing API's first-input entry) says
    // whether "ready" is ready.
    if (outcome === 'ready') await page.mouse.click(4, 4);
    await page.waitForLoadState('load');
    await page.waitForFunction(() => window.__bnkataError || performance.getEntriesByType('first-input').length > 0, null, { timeout: 30000 });
    // A page this small can be ready, and even handle the click, before its first frame is painted; the
    // first contentful paint is then still to come, and interactive is the later of the two.
    await page.waitForFunction(() => window.__bnkataError || performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 30000 });
    return await page.evaluate(() => {
      if (window.__bnkataError) throw new Error(`the page reported: ${window.__bnkataError}`);
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const click = performance.getEntriesByType('first-input')[0];
      const at = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
      const ready = window.__bnkataReadyAt;
      const painted = fcp ? fcp.startTime : NaN;
      return {
        ready, fcp: painted, interactive: Math.max(ready, painted), shift: window.__bnkataShift,
        domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
        coreStart: at('bnkata:core-start'), core: at('bnkata:core-loaded') - at('bnkata:core-start'), figures: at('bnkata:ready') - at('bnkata:figures-start'),
        clickWaited: click.processingStart - click.startTime, clickHandled: click.processingStart,
      };
    });
  } finally {
    await context.close();
  }
}

// A copy of dist/ whose index.html keeps everything but the lesson's five <section id="step-N">s (they
// are <main>'s last children). Returns its folder; the caller removes it.
function withoutSteps(dir) {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'bnkata-no-steps-'));
  cpSync(dir, copy, { recursive: true });
  const file = path.join(copy, 'index.html');
  const html = readFileSync(file, 'utf8');
  const first = html.indexOf('<section id="step-1"'), end = html.indexOf('</main>');
  if (first < 0 || end < first) throw new Error('index.html: expected the steps as <section id="step-1"> … inside <main>');
  writeFileSync(file, html.slice(0, first) + html.slice(end));
  return copy;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const bytes = measureBytes(options.dir);

  const browser = await chromium.launch({
    executablePath: process.env.BNKATA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const server = await startServer({ dir: options.dir, base: '/lesson/', port: 0 });
  const floorDir = withoutSteps(options.dir);
  const floorServer = await startServer({ dir: floorDir, base: '/lesson/', port: 0 });
  const otherServer = options.compare ? await startServer({ dir: options.compare, base: '/lesson/', port: 0 }) : null;

  try {
    // Which files a first visit fetches before it is interactive (the rest load on demand, e.g. when a
    // learner scrolls to the lab). This run also starts the browser's own processes; it is not timed.
    const requested = new Set();
    await timeToInteractive(browser, server.url, requested);
    const initial = new Set([...requested].filter((u) => u.startsWith(server.url))
      .map((u) => decodeURIComponent(new URL(u).pathname.slice(new URL(server.url).pathname.length)) || 'index.html'));
    const initialTotal = bytes.rows.filter((r) => initial.has(r.file)).reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz }), { raw: 0, gz: 0 });

    console.log(`Page budget — ${path.relative(root, options.dir) || '.'}/ (node scripts/bench-page.mjs)\n`);
    console.log(table(['file', 'raw KiB', 'gzip KiB', 'first visit'],
      [...bytes.rows.map((r) => [r.file, kib(r.raw), kib(r.gz), initial.has(r.file) ? 'yes' : 'on demand']),
        ['total, all of dist/', kib(bytes.total.raw), kib(bytes.total.gz), ''],
        ['total, first visit', kib(initialTotal.raw), kib(initialTotal.gz), '']],
      ['l', 'r', 'r', 'l']));
    console.log(`\ngzipped: all of dist/ ${kib(bytes.total.gz)} KiB, first visit ${kib(initialTotal.gz)} KiB — target ≤ ${kib(BUDGET_GZ)} KiB: ` +
      `all ${bytes.total.gz <= BUDGET_GZ ? 'met' : 'MISSED'}, first visit ${initialTotal.gz <= BUDGET_GZ ? 'met' : 'MISSED'}\n`);

    const modes = [
      { label: 'http 127.0.0.1 /lesson/', url: server.url, lesson: true, reference: 'http, no steps (reference)' },
      { label: 'file://', url: pathToFileURL(path.join(options.dir, 'index.html')).href, lesson: true, reference: 'file://, no steps (reference)' },
      { label: 'http, no steps (reference)', url: floorServer.url, lesson: false },
      { label: 'file://, no steps (reference)', url: pathToFileURL(path.join(floorDir, 'index.html')).href, lesson: false },
      ...(otherServer ? [
        { label: `http, ${path.basename(options.compare)}/ (compared)`, url: otherServer.url, lesson: false },
        { label: `file://, ${path.basename(options.compare)}/ (compared)`, url: pathToFileURL(path.join(options.compare, 'index.html')).href, lesson: false },
      ] : []),
    ];
    for (const mode of modes) mode.runs = [];
    for (let i = 0; i < options.runs; i++) for (const mode of modes) mode.runs.push(await timeToInteractive(browser, mode.url));
    const rows = [];
    const medianOf = (label) => median(modes.find((m) => m.label === label).runs.map((r) => r.interactive));
    let worstRatio = 0, worstShift = 0;
    for (const { label, runs, lesson, reference } of modes) {
      const interactive = runs.map((r) => r.interactive);
      const ratio = reference ? median(interactive) / medianOf(reference) : NaN;
      const shift = Math.max(...runs.map((r) => r.shift));
      if (lesson) { worstRatio = Math.max(worstRatio, ratio); worstShift = Math.max(worstShift, shift); }
      const med = (key) => median(runs.map((r) => r[key])).toFixed(0);
      rows.push([label, options.runs, med('coreStart'), med('core'), med('ready'), med('fcp'), med('domContentLoaded'),
        median(interactive).toFixed(0), Math.min(...interactive).toFixed(0), Math.max(...interactive).toFixed(0),
        reference ? `${ratio.toFixed(2)}×` : '', shift.toFixed(4),
        `${med('clickWaited')} / ${Math.max(...runs.map((r) => r.clickWaited)).toFixed(0)}`, med('clickHandled')]);
    }
    console.log(table(['cold load', 'runs', 'main.js starts', 'core loads', 'ready', 'FCP', 'page parsed', 'interactive (median)', 'min', 'max', '÷ reference', 'layout shift (max)', 'click waited (median / max)', 'click handled'],
      rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
    console.log('(all in ms, medians over the runs unless marked. main.js starts: navigation → app.js running. core loads: loading,\n' +
      ' compiling and instantiating bnkata-core.js from there. ready: navigation → bnkata:ready, the core loaded and the\n' +
      ' figures within a screen of the first viewport mounted. FCP: navigation → first contentful paint. page parsed: navigation →\n' +
      ' DOMContentLoaded (the page is interactive before the browser has finished parsing it). click waited: a click\n' +
      ' made on the page as soon as bnkata:ready fired, from the click to its handling (Event Timing\'s first input);\n' +
      ' click handled: navigation → that handling, what a learner clicking at once would wait for.)');
    console.log(' The reference rows are the same page without the five steps: what is left is the browser, app.js, the core\n' +
      ' and the page\'s frame (header, step navigator, progress panel). ÷ reference: the page\'s median over its reference\'s.\n' +
      ' layout shift: the sum of layout-shift entries up to bnkata:ready, the largest over the runs.');
    console.log('\ninteractive = navigation start → the later of bnkata:ready and the first contentful paint (the learner sees the\n' +
      'page, and the figures within a screen of the first viewport are mounted and answer)');
    console.log(`page ÷ reference: ${worstRatio.toFixed(2)}× — target ≤ ${BUDGET_RATIO}×: ${worstRatio <= BUDGET_RATIO ? 'met' : 'MISSED'}; ` +
      `layout shift ${worstShift.toFixed(4)} — target < ${BUDGET_SHIFT}: ${worstShift < BUDGET_SHIFT ? 'met' : 'MISSED'}` +
      `  (machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; Chromium ${browser.version()})`);
  } finally {
    await server.close();
    await floorServer.close();
    if (otherServer) await otherServer.close();
    await browser.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(`bench-page: ${error.message}`); process.exit(1); });
