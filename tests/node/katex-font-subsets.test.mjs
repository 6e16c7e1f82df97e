// The KaTeX fonts the site ships are subsets (scripts/subset-katex-fonts.mjs): which characters each face
// must draw, worked out from KaTeX's HTML and stylesheet, and the built fonts' character maps read back
// with fontTools. (tests/browser/katex-fonts.test.mjs checks the same fonts against Chromium's cascade.)
// And KaTeX's stylesheet ships without the selectors the page cannot match (scripts/trim-katex-css.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { typesetHtml } from '../../scripts/build-site.mjs';
import { charactersByFace, fontFaces, readCmaps } from '../../scripts/subset-katex-fonts.mjs';
import { trimKatexCss } from '../../scripts/trim-katex-css.mjs';

const require = createRequire(import.meta.url);
const KATEX_DIST = path.join(path.dirname(require.resolve('katex/package.json')), 'dist');
const KATEX_CSS = readFileSync(path.join(KATEX_DIST, 'katex.min.css'), 'utf8');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The characters of `tex` (inline, or display with $$) each face must draw, as sorted strings.
function facesOf(tex, css = KATEX_CSS) {
  const { byFace } = charactersByFace(typesetHtml(`<p>${tex}</p>`, 'test'), css);
  return Object.fromEntries([...byFace].filter(([, chars]) => chars.size).map(([face, chars]) => [face, [...chars].sort().join('')]));
}

test('x + 1: the letter in KaTeX_Math italic, the operator and the digit in KaTeX_Main', () => {
  const faces = facesOf('$x + 1$');
  assert.equal(faces['KaTeX_Math/400/italic'], 'x');
  assert.equal(faces['KaTeX_Main/400/normal'], '+1');
  assert.deepEqual(Object.keys(faces).sort(), ['KaTeX_Main/400/normal', 'KaTeX_Math/400/italic']);
});

test('\\mathbb, \\mathcal, \\mathbf and a display \\sum each reach their own face', () => {
  assert.equal(facesOf('$\\mathbb{E}$')['KaTeX_AMS/400/normal'], 'E');
  assert.equal(facesOf('$\\mathcal{N}$')['KaTeX_Caligraphic/400/normal'], 'N');
  assert.equal(facesOf('$\\mathbf{W}$')['KaTeX_Main/700/normal'], 'W');
  assert.equal(facesOf('$$\\sum_i x_i$$')['KaTeX_Size2/400/normal'], '∑');
  assert.equal(facesOf('$\\sum_i x_i$')['KaTeX_Size1/400/normal'], '∑');  // inline: the small operator
});

test('text in a face the page does not ship goes into every shipped face of its family (the browser synthesises from one of them)', () => {
  // Only KaTeX_Main regular and KaTeX_Math italic declared: bold W is drawn from Main regular, made bold.
  const css = KATEX_CSS.replace(/@font-face\{[^}]*\}/g, (rule) => (/KaTeX_Main-Regular|KaTeX_Math-Italic/.test(rule) ? rule : ''));
  assert.deepEqual(facesOf('$\\mathbf{W} x$', css), { 'KaTeX_Main/400/normal': 'W', 'KaTeX_Math/400/italic': 'x' });
});

test('text whose family the page does not ship at all is an error, not a silent fallback', () => {
  const css = KATEX_CSS.replace(/@font-face\{[^}]*\}/g, (rule) => (/KaTeX_Main-Regular/.test(rule) ? rule : ''));
  const { unshipped } = charactersByFace(typesetHtml('<p>$\\mathbb{E}$</p>', 'test'), css);
  assert.deepEqual(unshipped.map((u) => [u.text, u.families]), [['E', ['KaTeX_AMS']]]);
});

test('text a stylesheet rule generates counts: an equation number, .eqn-num::before { content: "(" counter(…) ")" }', () => {
  const faces = facesOf('$$\\begin{equation}x\\end{equation}$$');
  assert.equal(faces['KaTeX_Math/400/italic'], 'x');
  for (const ch of '()0123456789') assert.ok(faces['KaTeX_Main/400/normal'].includes(ch), `KaTeX_Main has ${ch}`);
});

test('KaTeX’s stylesheet loses the selectors that need a class the page does not have, and keeps the rest', () => {
  const css = '@font-face{font-family:KaTeX_Main;src:url(fonts/x.woff2)}.katex{font:normal 1em KaTeX_Main}' +
    '.katex .mathnormal{font-style:italic}.katex .boldsymbol,.katex .mathnormal .mtight{font-weight:700}' +
    '.katex .fbox{border:1px}.katex .accent-body:not(.accent-full){left:0}';
  const html = '<span class="katex"><span class="mord mathnormal">x</span><span class="accent-body">^</span></span>';
  assert.equal(trimKatexCss(css, html),
    '@font-face{font-family:KaTeX_Main;src:url(fonts/x.woff2)}.katex{font:normal 1em KaTeX_Main}' +
    '.katex .mathnormal{font-style:italic}.katex .accent-body:not(.accent-full){left:0}');
});

// ---------------------------------------------------------------------------------------------------
// The built site

const dist = path.resolve(root, process.env.BNKATA_DIST_DIR || 'dist');

test('the built site ships subsets: each holds every character the page draws with it, and nothing a face does not need', (t) => {
  assert.ok(existsSync(path.join(dist, 'index.html')), `${dist}/index.html not found: run node scripts/build-site.mjs first`);
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const css = readFileSync(path.join(dist, 'katex', 'katex.min.css'), 'utf8');
  const faces = fontFaces(css);
  const shippedFiles = readdirSync(path.join(dist, 'katex', 'fonts')).sort();
  assert.deepEqual(faces.map((f) => path.basename(f.url)).sort(), shippedFiles, 'every declared font ships, and only those');

  const { byFace, unshipped } = charactersByFace(html, css);
  assert.deepEqual(unshipped, []);
  const subsetMaps = readCmaps(faces.map((f) => path.join(dist, 'katex', f.url)));
  const fullMaps = readCmaps(faces.map((f) => path.join(KATEX_DIST, f.url)));
  for (const { face, url } of faces) {
    const subset = subsetMaps[path.join(dist, 'katex', url)];
    const full = fullMaps[path.join(KATEX_DIST, url)];
    const needed = [...byFace.get(face)].map((ch) => ch.codePointAt(0)).filter((c) => full.has(c));
    assert.ok(needed.length > 0, `${face} ships although no text uses it`);
    const missing = needed.filter((c) => !subset.has(c)).map((c) => String.fromCodePoint(c));
    assert.deepEqual(missing, [], `${face}: characters the page draws with it but its subset lacks`);
    const extra = [...subset].filter((c) => !needed.includes(c)).map((c) => String.fromCodePoint(c));
    assert.deepEqual(extra, [], `${face}: characters its subset has but no text needs`);
    const [small, big] = [statSync(path.join(dist, 'katex', url)).size, statSync(path.join(KATEX_DIST, url)).size];
    assert.ok(small < big, `${url}: ${small} bytes, KaTeX's ${big}`);
    t.diagnostic(`${face}: ${needed.length} of ${full.size} characters, ${small} of ${big} bytes`);
  }
});
