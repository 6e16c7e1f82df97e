// The shared browser-test harness. Typical use in a tests/browser/*.test.mjs file:
//
//   import { launchChromium, serveSite, fileUrl, openLesson, mountAllFigures, assertNoProblems,
//            runAxe, formatViolations, tabThrough, horizontalOverflow, NARROW } from './lib/index.mjs';
//   const browser = await launchChromium();
//   const site = await serveSite({ base: '/lesson/' });            // dist/ (or $BNKATA_DIST_DIR) over http
//   const { page, problems, close } = await openLesson(browser, site.url + '#step-1');  // waits for ready
//   ... drive the page by role and label: page.getByRole('textbox', { name: 'Batch values' }) ...
//   assertNoProblems(problems);                                   // console errors, CSP, outside requests
//   await close(); await site.close(); await browser.close();
//
// Everything waits for conditions (data-bnkata="ready", data-figure-state), never for time.
export { projectRoot, distDir, serveSite, fileUrl, ownPrefix } from './site.mjs';
export { CHROMIUM_ARGS, DESKTOP, NARROW, launchChromium, openLesson, waitForReady, mountAllFigures } from './browser.mjs';
export { collectProblems, assertNoProblems } from './problems.mjs';
export { runAxe, formatViolations, tabThrough, horizontalOverflow } from './a11y.mjs';
