// firefox.mjs — Debian's Firefox ESR through puppeteer-core over WebDriver BiDi, and a lesson page opened
// in it with every kind of problem recorded, as browser.mjs and problems.mjs do for Chromium through
// Playwright. (Playwright's Firefox is a patched build it downloads; puppeteer-core drives the stock
// firefox-esr that learners run, over the W3C protocol.)
import puppeteer from 'puppeteer-core';
import { DESKTOP } from './browser.mjs';
import { ownPrefix } from './site.mjs';

// Preferences for a quiet test browser: nothing that would make Firefox itself talk to the network,
// downloads saved without asking.
const FIREFOX_PREFS = {
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.download.always_ask_before_handling_new_types': false,
};

export function launchFirefox() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.BNKATA_FIREFOX || '/usr/bin/firefox-esr',
    protocol: 'webDriverBiDi',
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
  });
}

// Opens the lesson at `url` in a fresh browser context and waits until it is interactive
// (html[data-bnkata="ready"]). Options: viewport (default DESKTOP), downloadPath (a folder where the
// page's downloads are saved). Resolves to { page, context, problems, close() }; problems fills as the
// page runs (the same lists as problems.mjs; assertNoProblems checks them).
export async function openLessonInFirefox(browser, url, { viewport = DESKTOP, downloadPath } = {}) {
  const context = await browser.createBrowserContext(downloadPath ? { downloadBehavior: { policy: 'allow', downloadPath } } : {});
  const page = await context.newPage();
  await page.setViewport(viewport);
  const problems = await collectProblemsInFirefox(page, url);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.bnkata, { timeout: 30000 });
  const state = await page.evaluate(() => document.documentElement.dataset.bnkata);
  if (state !== 'ready') {
    const alert = await page.evaluate(() => document.querySelector('.load-error')?.textContent ?? '');
    throw new Error(`the lesson did not become interactive in Firefox (data-bnkata="${state}"): ${alert}`);
  }
  return { page, context, problems, close: () => context.close() };
}

// What problems.mjs records, from puppeteer's page events. Firefox reports a CSP refusal as a page error
// as well as a securitypolicyviolation event; both are kept.
async function collectProblemsInFirefox(page, url) {
  const own = ownPrefix(url);
  const problems = {
    consoleErrors: [], consoleWarnings: [], pageErrors: [], cspViolations: [], outsideRequests: [], failedRequests: [],
  };
  const isOwn = (requestUrl) => requestUrl.startsWith(own) || requestUrl.startsWith('data:') || requestUrl.startsWith('blob:');
  await page.exposeFunction('__bnkataReportCspViolation', (violation) => { problems.cspViolations.push(violation); });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__bnkataReportCspViolation({
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}`,
      });
    });
  });
  page.on('console', (message) => {
    const entry = `${message.text().split('\n')[0].slice(0, 400)} (${message.location().url || 'no url'}:${message.location().lineNumber ?? ''})`;
    if (message.type() === 'error') problems.consoleErrors.push(entry);
    else if (message.type() === 'warn') problems.consoleWarnings.push(entry);
  });
  page.on('pageerror', (error) => {
    const text = String(error && error.stack || error);
    // Firefox lays out the lesson's formulas while it is still parsing them, and reports a MathML
    // element it met before the parser had added all its children ("Incorrect number of children for
    // <msub/> tag"). Not an error of the page: firefox.test.mjs checks the parsed formulas themselves.
    if (/^Error: Invalid markup: Incorrect number of children for <\w+\/> tag\.$/.test(text.split('\n')[0])) problems.consoleWarnings.push(text);
    else problems.pageErrors.push(text);
  });
  page.on('request', (request) => {
    if (!isOwn(request.url())) problems.outsideRequests.push(request.url());
  });
  page.on('requestfailed', (request) => {
    if (isOwn(request.url())) problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
  });
  return problems;
}

// The element with ARIA role `role` and accessible name `name` inside `scope` (a page or an element
// handle), found as a screen reader would find it; waits for it to appear.
export function byRole(scope, role, name) {
  if (name.includes('"')) throw new Error(`byRole: a name with a double quote cannot be looked up: ${name}`);
  return scope.waitForSelector(`::-p-aria([name="${name}"][role="${role}"])`, { timeout: 30000 });
}

// Scrolls the figure root `root` into view until main.js has visited it (data-figure-state set): each
// frame, if it is out of the viewport again, it is scrolled back. Firefox does not keep a scrolled-to
// element in place while the blocks above it, skipped by content-visibility: auto until then, are laid out
// at their real height: one scrollIntoView can end a screen or more away from it.
function scrollToUntilVisited(page, root) {
  return page.waitForFunction((el) => {
    if (el.dataset.figureState) return true;
    const box = el.getBoundingClientRect();
    if (!(box.bottom > 0 && box.top < innerHeight)) el.scrollIntoView({ block: 'center' });
    return false;
  }, { polling: 'raf', timeout: 30000 }, root);
}

// Scrolls the figure root `selector` into view and waits until main.js has mounted it
// (data-figure-state="mounted"). Resolves to its handle.
export async function mountFigureInFirefox(page, selector) {
  const root = await page.waitForSelector(selector);
  await scrollToUntilVisited(page, root);
  await page.waitForFunction((el) => el.dataset.figureState === 'mounted', { timeout: 30000 }, root);
  return root;
}

// mountAllFigures (browser.mjs) for a puppeteer page: scrolls every figure root into view in turn and
// waits until main.js has visited each; repeats while mounting adds roots. Leaves the page at the top.
// Resolves to { "index:name": state }.
export async function mountAllFiguresInFirefox(page) {
  let seen = -1;
  for (;;) {
    const count = await page.evaluate(() => document.querySelectorAll('[data-figure]').length);
    if (count === seen) break;
    seen = count;
    for (let i = 0; i < count; i++) {
      const root = await page.evaluateHandle((index) => document.querySelectorAll('[data-figure]')[index], i);
      await scrollToUntilVisited(page, root);
    }
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.evaluate(() => Object.fromEntries(
    Array.from(document.querySelectorAll('[data-figure]'), (root, i) => [`${i}:${root.dataset.figure}`, root.dataset.figureState])));
}
