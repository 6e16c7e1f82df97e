// problems.mjs — everything a clean page load must not produce, recorded per browser context:
//   consoleErrors    console.error and console messages of type "error" (Chromium also logs CSP refusals here)
//   pageErrors       uncaught exceptions and unhandled rejections
//   cspViolations    securitypolicyviolation events, reported from an init script in every frame
//   outsideRequests  any request whose URL is not one of the page's own files (see site.mjs ownPrefix)
//   failedRequests   own requests that failed or answered with HTTP ≥ 400
// consoleWarnings is recorded too, for diagnosis; tests do not fail on warnings.
import assert from 'node:assert/strict';
import { ownPrefix } from './site.mjs';

export async function collectProblems(context, url) {
  const own = ownPrefix(url);
  const problems = {
    consoleErrors: [], consoleWarnings: [], pageErrors: [], cspViolations: [], outsideRequests: [], failedRequests: [],
  };
  const isOwn = (requestUrl) => requestUrl.startsWith(own) || requestUrl.startsWith('data:') || requestUrl.startsWith('blob:');

  await context.exposeBinding('__bnkataReportCspViolation', (_source, violation) => problems.cspViolations.push(violation));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__bnkataReportCspViolation({
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}`,
        sample: event.sample,
      });
    });
  });
  context.on('page', (page) => {
    page.on('console', (message) => {
      const entry = `${message.text().split('\n')[0].slice(0, 400)} (${message.location().url || 'no url'}:${message.location().lineNumber ?? ''})`;
      if (message.type() === 'error') problems.consoleErrors.push(entry);
      else if (message.type() === 'warning') problems.consoleWarnings.push(entry);
    });
    page.on('pageerror', (error) => problems.pageErrors.push(String(error && error.stack || error)));
  });
  context.on('request', (request) => {
    if (!isOwn(request.url())) problems.outsideRequests.push(request.url());
  });
  context.on('requestfailed', (request) => {
    const error = request.failure()?.errorText;
    // The code runner terminates a Worker when its run ends or times out; one terminated while its blob:
    // script still loads shows as an aborted request that the page cancelled itself, not one that failed.
    if (request.url().startsWith('blob:') && error === 'net::ERR_ABORTED') return;
    if (isOwn(request.url())) problems.failedRequests.push(`${request.url()}: ${error}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
  });
  return problems;
}

// Fails (with every problem listed) unless the page produced none of the problems above.
export function assertNoProblems(problems, label = 'page') {
  const found = Object.entries(problems).filter(([kind, list]) => kind !== 'consoleWarnings' && list.length);
  assert.deepEqual(Object.fromEntries(found), {}, `${label}: ${found.map(([kind, list]) => `${kind}:\n  ${list.join('\n  ')}`).join('\n')}`);
}
