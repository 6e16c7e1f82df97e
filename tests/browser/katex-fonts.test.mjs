// The subset KaTeX fonts, as Chromium sees them. The build cuts each font down to the glyphs the page
// draws with it (scripts/subset-katex-fonts.mjs works that out from KaTeX's stylesheet); here the
// browser's own cascade says which face draws each character of KaTeX's HTML, and the fonts' character
// maps (read back with fontTools) must hold every one of them — else that character would silently be
// drawn from a system font. And the faces the formulas use must load, none fail. KaTeX's stylesheet is
// trimmed to the rules the page can match (scripts/trim-katex-css.mjs): every KaTeX element's computed
// style must be the same as under the whole stylesheet.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assertNoProblems, distDir, mountAllFigures, useSite } from './lib/index.mjs';
import { fontFaces, readCmaps } from '../../scripts/subset-katex-fonts.mjs';

const require = createRequire(import.meta.url);
const KATEX_DIST = path.join(path.dirname(require.resolve('katex/package.json')), 'dist');

// Runs in the page: for every text node inside KaTeX's HTML (.katex-html), the face Chromium's cascade
// gives it — 'family/weight/style' with the first family of font-family — and its characters.
function facesOfKatexText() {
  const byFace = {};
  for (const root of document.querySelectorAll('.katex-html')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('svg')) continue;
      const style = getComputedStyle(node.parentElement);
      const family = style.fontFamily.split(',')[0].replace(/["']/g, '').trim();
      const weight = Number(style.fontWeight) >= 600 ? '700' : '400';
      const face = `${family}/${weight}/${style.fontStyle === 'normal' ? 'normal' : 'italic'}`;
      byFace[face] = (byFace[face] || '') + node.data;
    }
  }
  return Object.fromEntries(Object.entries(byFace).map(([face, text]) => [face, [...new Set(text)].join('')]));
}

describe('KaTeX fonts: subset to the page, and complete for it', () => {
  const site = useSite();
  let lesson, shipped, byFace;

  before(async () => {
    lesson = await site.open('#step-1');
    const css = readFileSync(path.join(distDir(), 'katex', 'katex.min.css'), 'utf8');
    shipped = new Map(fontFaces(css).map((f) => [f.face, f.url]));
    byFace = await lesson.page.evaluate(facesOfKatexText);
  });

  test('every character KaTeX draws with a KaTeX face is in that face’s shipped font (unless KaTeX’s own font lacks it too)', () => {
    const katexFaces = Object.keys(byFace).filter((face) => face.startsWith('KaTeX_'));
    assert.ok(katexFaces.includes('KaTeX_Main/400/normal') && katexFaces.includes('KaTeX_Math/400/italic'),
      `the page's math uses KaTeX_Main and KaTeX_Math, got ${katexFaces.join(', ')}`);
    // A face Chromium asks for must be declared, or it falls back to the family's nearest shipped face
    // (synthesised bold or italic); the characters must then be in that one. KaTeX declares every face
    // it uses, so any face the cascade picks must be shipped.
    const missingFaces = katexFaces.filter((face) => !shipped.has(face));
    assert.deepEqual(missingFaces, [], 'faces the cascade picks but dist/katex/katex.min.css does not declare');

    const files = katexFaces.map((face) => shipped.get(face));
    const subsetMaps = readCmaps(files.map((url) => path.join(distDir(), 'katex', url)));
    const fullMaps = readCmaps(files.map((url) => path.join(KATEX_DIST, url)));
    const missing = [];
    katexFaces.forEach((face, i) => {
      const subset = subsetMaps[path.join(distDir(), 'katex', files[i])];
      const full = fullMaps[path.join(KATEX_DIST, files[i])];
      for (const ch of byFace[face]) {
        const code = ch.codePointAt(0);
        if (full.has(code) && !subset.has(code)) missing.push(`${face}: ${JSON.stringify(ch)} U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
      }
    });
    assert.deepEqual(missing, [], 'characters KaTeX draws with a face whose subset lacks them');
  });

  test('no KaTeX text is drawn in a face outside KaTeX’s fonts', () => {
    const others = Object.keys(byFace).filter((face) => !face.startsWith('KaTeX_'));
    assert.deepEqual(others, [], `KaTeX text with a non-KaTeX font: ${others.map((f) => `${f} ${JSON.stringify(byFace[f])}`).join('; ')}`);
  });

  test('the faces the formulas use load (document.fonts), none fails, and the page stays clean', async () => {
    await mountAllFigures(lesson.page);  // every formula and figure rendered, so every face was needed
    const fonts = await lesson.page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].map((f) => ({ family: f.family.replace(/["']/g, ''), weight: f.weight, style: f.style, status: f.status }));
    });
    const failed = fonts.filter((f) => f.status === 'error');
    assert.deepEqual(failed, [], 'fonts that failed to load');
    const usedFamilies = new Set(Object.keys(byFace).map((face) => face.split('/')[0]));
    for (const family of usedFamilies) {
      const entries = fonts.filter((f) => f.family === family);
      assert.ok(entries.length > 0, `${family} is declared`);
      assert.ok(entries.some((f) => f.status === 'loaded'), `${family} loaded: ${JSON.stringify(entries)}`);
    }
    const unused = fonts.filter((f) => !usedFamilies.has(f.family) && f.family.startsWith('KaTeX_'));
    assert.deepEqual(unused, [], 'KaTeX faces declared but used by no formula (they should not ship)');
    // Step 1's formulas, typeset with their fonts: every KaTeX face they need is ready to draw.
    const step1Ready = await lesson.page.evaluate(() => {
      const families = new Set();
      for (const el of document.querySelectorAll('#step-1 .katex-html *')) {
        if (el.closest('svg') || ![...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim())) continue;
        const s = getComputedStyle(el);
        families.add(`${s.fontStyle} ${s.fontWeight} 16px ${s.fontFamily.split(',')[0]}|${el.textContent}`);
      }
      return [...families].map((entry) => { const [font, text] = entry.split('|'); return { font, ok: document.fonts.check(font, text) }; });
    });
    assert.ok(step1Ready.length > 0, 'step 1 has formulas');
    assert.deepEqual(step1Ready.filter((f) => !f.ok), [], 'step 1 formula fonts not ready');
    assertNoProblems(lesson.problems);
  });

  test('every selector trimmed from KaTeX’s stylesheet matches no element of the page (Chromium’s own selector matching)', async () => {
    const selectorsOf = (css) => [...css.replace(/@font-face\{[^}]*\}/g, '').matchAll(/([^{}]+)\{[^{}]*\}/g)]
      .flatMap((m) => m[1].split(',').map((s) => s.trim()));
    const shipped = new Set(selectorsOf(readFileSync(path.join(distDir(), 'katex', 'katex.min.css'), 'utf8')));
    const whole = selectorsOf(readFileSync(path.join(KATEX_DIST, 'katex.min.css'), 'utf8'));
    const dropped = whole.filter((s) => !shipped.has(s));
    assert.ok(dropped.length > whole.length / 2, `${dropped.length} of ${whole.length} selectors trimmed`);
    await mountAllFigures(lesson.page);
    const result = await lesson.page.evaluate(({ dropped, kept }) => {
      // A pseudo-element's rule applies when its element matches: test the element's part.
      const element = (s) => s.replace(/::?(before|after|-webkit-[a-z-]+|-moz-[a-z-]+)\b/g, '');
      const check = (list) => list.map((s) => {
        try { return { s, matches: !!document.querySelector(element(s)) }; } catch { return { s, matches: null }; }
      });
      return { dropped: check(dropped), kept: check(kept) };
    }, { dropped, kept: [...shipped] });
    assert.deepEqual(result.dropped.filter((r) => r.matches !== false).map((r) => r.s), [],
      'trimmed selectors that match an element (or that Chromium cannot check)');
    const keptMatching = result.kept.filter((r) => r.matches).length;
    assert.ok(keptMatching > result.kept.length / 2, `most selectors kept match the page: ${keptMatching} of ${result.kept.length}`);
  });
});
