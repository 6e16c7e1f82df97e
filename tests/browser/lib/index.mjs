// The shared browser-test harness. Typical use in a tests/browser/*.test.mjs file:
//
//   import { useSite, fileUrl, mountAllFigures, assertNoProblems, NARROW } from './lib/index.mjs';
//   const site = useSite();                  // one Chromium + dist/ (or $BNKATA_DIST_DIR) served per file
//   test('…', async () => {
//     const { page, problems, close } = await site.open('#step-1');   // waits for ready
//     ... drive the page by role and label: page.getByRole('textbox', { name: 'Batch values' }) ...
//     assertNoProblems(problems);                                   // console errors, CSP, outside requests
//     await close();
//   });
//
// Everything waits for conditions (data-bnkata="ready", data-figure-state), never for time.
export { projectRoot, distDir, serveSite, fileUrl, ownPrefix } from './site.mjs';
export { CHROMIUM_ARGS, DESKTOP, NARROW, launchChromium, openLesson, waitForReady, mountAllFigures } from './browser.mjs';
export { collectProblems, assertNoProblems } from './problems.mjs';
export { runAxe, formatViolations, tabThrough, horizontalOverflow } from './a11y.mjs';
export { useSite } from './use-site.mjs';
export { toNumber, assertClose } from './numbers.mjs';
