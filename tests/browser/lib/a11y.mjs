// a11y.mjs — accessibility checks on an open page: axe-core, keyboard reachability with a visible focus
// indicator, and horizontal overflow (320 px).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core on the whole document (or `context`, an axe context such as { exclude: [['.x']] }) and
// resolves to its violations as plain objects. The page must have been opened with bypassCSP: true —
// axe is injected as an inline script, which the lesson's CSP rightly forbids. preload: false because
// axe's stylesheet preloading uses XHR, which file:// does not allow.
export async function runAxe(page, { context, runOnly } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async ({ context, runOnly }) => {
    const options = { preload: false, resultTypes: ['violations'] };
    if (runOnly) options.runOnly = runOnly;
    const result = await window.axe.run(context ?? document, options);
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, { context: context ?? null, runOnly: runOnly ?? null });
}

export function formatViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`).join('\n')).join('\n');
}

// Runs inside the page: describes the element that has focus (looking into open shadow roots), or null
// when focus is on the document itself. `key` identifies the element (a path of tag:index steps).
function describeFocused() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const keyOf = (node) => {
    const parts = [];
    for (let n = node; n && n.nodeType === 1;) {
      const parent = n.parentNode;
      const index = parent ? Array.prototype.indexOf.call(parent.children, n) : 0;
      parts.unshift(`${n.tagName.toLowerCase()}:${index}`);
      n = parent && parent.nodeType === 11 ? parent.host : parent;  // step out of shadow roots
    }
    return parts.join('/');
  };
  const hasOutline = (node) => {
    const s = getComputedStyle(node);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  };
  const own = getComputedStyle(el);
  let indicator = hasOutline(el) || own.boxShadow !== 'none';
  // Composite widgets (a code editor) may draw the ring on a wrapper that has :focus-within.
  for (let n = el.parentElement, depth = 0; !indicator && n && depth < 3; n = n.parentElement, depth++) {
    indicator = n.matches(':focus-within') && hasOutline(n);
  }
  const box = el.getBoundingClientRect();
  // Entirely hidden behind something else (a sticky header, say: WCAG 2.4.11) when the centre and four
  // points just inside the corners all hit another element.
  const host = el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : null;
  const mine = (hit) => !!hit && (el.contains(hit) || hit.contains(el) || (host && (hit === host || host.contains(hit))));
  const inset = (a, b) => Math.min(a + 2, (a + b) / 2);
  const points = [[(box.left + box.right) / 2, (box.top + box.bottom) / 2], [inset(box.left, box.right), inset(box.top, box.bottom)],
    [box.right - (inset(box.left, box.right) - box.left), inset(box.top, box.bottom)],
    [inset(box.left, box.right), box.bottom - (inset(box.top, box.bottom) - box.top)],
    [box.right - (inset(box.left, box.right) - box.left), box.bottom - (inset(box.top, box.bottom) - box.top)]];
  const obscured = points.every(([x, y]) => x < 0 || y < 0 || x >= innerWidth || y >= innerHeight || !mine(document.elementFromPoint(x, y)));
  return {
    key: keyOf(el),
    obscured,
    tag: el.tagName.toLowerCase(),
    label: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().replace(/\s+/g, ' ').slice(0, 60),
    focusVisible: el.matches(':focus-visible'),
    indicator,
    inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
  };
}

// Runs inside the page: every element a keyboard user must be able to reach, as { key, tag, label }.
// Rendered, enabled, not inert, not tabindex=-1; of a radio group only one member is a tab stop, so a
// group counts as reached when any member is (reported under the group's first member).
function listInteractive() {
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, ' +
    '[tabindex], [contenteditable=""], [contenteditable="true"]';
  const found = [];
  const walk = (rootNode) => {
    for (const el of rootNode.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (!el.matches(selector)) continue;
      if (el.matches(':disabled') || el.closest('[inert]') || el.getAttribute('tabindex') === '-1') continue;
      if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
      found.push(el);
    }
  };
  walk(document);
  const keyOf = (node) => {
    const parts = [];
    for (let n = node; n && n.nodeType === 1;) {
      const parent = n.parentNode;
      const index = parent ? Array.prototype.indexOf.call(parent.children, n) : 0;
      parts.unshift(`${n.tagName.toLowerCase()}:${index}`);
      n = parent && parent.nodeType === 11 ? parent.host : parent;
    }
    return parts.join('/');
  };
  const radioGroups = new Map();
  const out = [];
  for (const el of found) {
    const item = { key: keyOf(el), tag: el.tagName.toLowerCase(), label: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().replace(/\s+/g, ' ').slice(0, 60) };
    if (el.matches('input[type="radio"][name]')) {
      const group = `${el.form ? keyOf(el.form) : ''}|${el.name}`;
      if (!radioGroups.has(group)) { radioGroups.set(group, item); item.group = []; out.push(item); }
      radioGroups.get(group).group.push(item.key);
    } else {
      out.push(item);
    }
  }
  return out;
}

// Presses Tab from the top of the page until focus leaves the document or comes back to the first stop.
// Resolves to { stops, interactive, unreached, withoutIndicator, trapped }:
//   stops            every element focus visited, in order (describeFocused: label, focusVisible,
//                    indicator, inViewport, obscured — entirely covered by another element)
//   unreached        interactive elements (listInteractive) focus never reached
//   withoutIndicator stops with no visible focus indicator (no :focus-visible, or no outline/box-shadow)
//   trapped          true when Tab never left the page within the limit (a keyboard trap)
export async function tabThrough(page, { limit } = {}) {
  // Start where a fresh visit starts: before the first element of the body. A temporary tabindex=-1
  // marker there takes focus (it is not a tab stop itself), so the first Tab goes to the page's first stop.
  await page.evaluate(() => {
    const marker = document.createElement('span');
    marker.id = '__bnkata-tab-start';
    marker.tabIndex = -1;
    document.body.prepend(marker);
    marker.focus();
    window.scrollTo(0, 0);
  });
  const interactive = await page.evaluate(listInteractive);  // keys computed with the marker in place, like the stops'
  const max = limit ?? interactive.length * 2 + 20;
  const stops = [];
  let trapped = true;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(describeFocused);
    if (!focused || (stops.length && focused.key === stops[0].key)) { trapped = false; break; }
    stops.push(focused);
  }
  await page.evaluate(() => document.getElementById('__bnkata-tab-start')?.remove());
  const reached = new Set(stops.map((s) => s.key));
  const unreached = interactive.filter((item) => !(item.group || [item.key]).some((key) => reached.has(key)));
  const withoutIndicator = stops.filter((s) => !s.focusVisible || !s.indicator);
  return { stops, interactive, unreached, withoutIndicator, trapped };
}

// Resolves to { scrollWidth, clientWidth, offenders }: offenders are the innermost elements sticking out
// past the right edge (outside any horizontally scrolling container), for the failure message.
export function horizontalOverflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const scrolls = (el) => {
      for (let n = el.parentElement; n && n !== doc && n !== document.body; n = n.parentElement) {
        const x = getComputedStyle(n).overflowX;
        if (x !== 'visible' && x !== 'clip') return true;
      }
      return false;
    };
    const sticking = Array.from(document.body.querySelectorAll('*'))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el));
    const offenders = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)))
      .slice(0, 10)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: doc.scrollWidth, clientWidth: width, offenders };
  });
}
