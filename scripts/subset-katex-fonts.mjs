// subset-katex-fonts.mjs — each KaTeX font the page ships keeps only the glyphs the page draws with it.
//
// The math is typeset at build time, so the built HTML says exactly which characters are drawn, and
// KaTeX's stylesheet says with which font: a class selects a family, weight and style
// (`.katex .mathnormal{font-family:KaTeX_Math;font-style:italic}`). For every text in KaTeX's HTML
// (the visible part; the MathML beside it is clipped out of sight and drawn in the browser's own math
// font) we work out which faces it may be drawn with, and subset each face to its characters.
//
// "May", on purpose: we follow inheritance but not specificity. A text's family, weight and style each
// come from the nearest element above it that a rule setting them matches; when several rules match that
// element, all their values are candidates. Every combination is a candidate face, and the character
// goes into every candidate face the page ships (a combination it does not ship is drawn by the browser
// from the family's nearest face, so then the character goes into all of that family's shipped faces).
// A few glyphs too many cost a few bytes; one too few would silently fall back to a system font. A
// shipped face that no text can use is dropped, with its @font-face rule.
//
// tests/node/katex-font-subsets.test.mjs reads the subsets' character maps back and checks them against
// this analysis; tests/browser/katex-fonts.test.mjs checks them against what Chromium's own cascade
// computes for every KaTeX text on the page.
//
// The subsetting itself is fontTools' (scripts/subset-katex-fonts.py, Debian's python3-fonttools and
// python3-brotli): the reference subsetter, packaged by Debian.
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const HELPER = path.join(here, 'subset-katex-fonts.py');

// Debian's interpreter, where python3-fonttools is installed (a python3 earlier on PATH, e.g. pyenv's,
// does not see Debian's packages). BNKATA_PYTHON overrides.
function python() {
  if (process.env.BNKATA_PYTHON) return process.env.BNKATA_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function runHelper(args, input) {
  const result = spawnSync(python(), [HELPER, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`subset-katex-fonts: cannot run ${python()}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`subset-katex-fonts: ${(result.stderr || '').trim() || `${python()} exited with ${result.status}`}`);
  return result.stdout;
}

/** The code points each font file maps, read by fontTools: { file: Set<number> }. */
export function readCmaps(files) {
  if (!files.length) return {};
  const parsed = JSON.parse(runHelper(['cmap', ...files]));
  return Object.fromEntries(Object.entries(parsed).map(([file, codepoints]) => [file, new Set(codepoints)]));
}

// ---------------------------------------------------------------------------------------------------
// KaTeX's HTML: every text, with the chain of elements above it (from the .katex root down)

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (text) => text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
  if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
  return ENTITIES[name.toLowerCase()] ?? whole;
});

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

/**
 * Every text node inside KaTeX's HTML output (.katex-html) in `html`, as { text, chain }: chain is the
 * elements from the enclosing .katex down to the text's parent, each { tag, classes: Set }. Each element
 * also appears once with text '' (chain ending at itself), for text a stylesheet generates on it.
 */
export function katexTexts(html) {
  const texts = [];
  for (const start of html.matchAll(/<span class="katex"[\s>]/g)) {
    const stack = [];
    TAG.lastIndex = start.index;
    let last = start.index;
    for (let m; (m = TAG.exec(html));) {
      const text = html.slice(last, m.index);
      last = TAG.lastIndex;
      if (text && stack.length && stack.some((e) => e.classes.has('katex-html')) && !stack.some((e) => e.tag === 'svg')) {
        texts.push({ text: decode(text), chain: stack.slice() });
      }
      const [, closing, name, attrs] = m;
      const tag = name.toLowerCase();
      if (closing) {
        const at = stack.map((e) => e.tag).lastIndexOf(tag);
        if (at >= 0) stack.length = at;
      } else if (!attrs.trimEnd().endsWith('/')) {
        const cls = /\sclass\s*=\s*"([^"]*)"/.exec(attrs);
        stack.push({ tag, classes: new Set(cls ? cls[1].split(/\s+/).filter(Boolean) : []) });
        // Every element too, with no text: a stylesheet rule may generate text on it (::before).
        if (stack.some((e) => e.classes.has('katex-html')) && !stack.some((e) => e.tag === 'svg')) texts.push({ text: '', chain: stack.slice() });
      }
      if (!stack.length) break;  // the .katex element is closed
    }
  }
  return texts;
}

// ---------------------------------------------------------------------------------------------------
// KaTeX's stylesheet: the rules that choose a font, and the faces it declares

/** The rules of `css` that set a font family, weight or style, or generate text: [{ selectors, family?, weights, styles, content? }]. */
export function fontRules(css) {
  const rules = [];
  for (const rule of css.replace(/@font-face\{[^}]*\}/g, '').matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
    const body = rule[2];
    const declaration = (name) => new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*([^;]*)`).exec(body)?.[1].trim();
    const font = declaration('font');  // shorthand: [style] [weight] size[/line-height] family, …
    const family = (declaration('font-family') ?? font?.replace(/^.*?\d[\w.%]*(?:\/\S+)?\s+/, ''))?.split(',')[0].replace(/["']/g, '').trim();
    const weightWord = declaration('font-weight') ?? (font && /\b(bold|[1-9]00)\b/.exec(font)?.[1]) ?? (font ? 'normal' : undefined);
    const styleWord = declaration('font-style') ?? (font && /\b(italic|oblique)\b/.exec(font)?.[1]) ?? (font ? 'normal' : undefined);
    const content = declaration('content');
    if (!family && !weightWord && !styleWord && !content) continue;
    rules.push({
      selectors: rule[1].split(',').map((s) => s.trim()),
      family,
      weights: weightWord === undefined ? [] : weightWord === 'bold' || weightWord === '700' ? ['700'] : weightWord === 'normal' || weightWord === '400' ? ['400'] : ['400', '700'],
      styles: styleWord === undefined ? [] : styleWord === 'normal' ? ['normal'] : ['italic'],
      content,
    });
  }
  return rules;
}

/** The @font-face rules of `css`: [{ face: 'family/weight/style', family, url }]. */
export function fontFaces(css) {
  return [...css.matchAll(/@font-face\{([^}]*)\}/g)].map(([, body]) => {
    const family = /font-family:\s*"?([A-Za-z0-9_]+)/.exec(body)[1];
    const weight = /font-weight:\s*(bold|700)/.test(body) ? '700' : '400';
    const style = /font-style:\s*italic/.test(body) ? 'italic' : 'normal';
    const url = /url\(["']?([^)"']+)["']?\)/.exec(body)?.[1];
    return { face: `${family}/${weight}/${style}`, family, url };
  });
}

// A selector as compounds from right to left: [{ compound: { tag?, classes[], pseudo }, combinator }].
// Anything a compound holds besides a type, classes and pseudo-classes/elements (attributes, :not()…) is
// not checked, so it counts as matching: too many matches only add candidates.
function parseSelector(selector) {
  const parts = selector.replace(/\s*>\s*/g, ' > ').split(/\s+/).filter(Boolean);
  const compounds = [];
  let combinator = ' ';
  for (const part of parts) {
    if (part === '>') { combinator = '>'; continue; }
    const tag = /^[A-Za-z][A-Za-z0-9-]*/.exec(part)?.[0]?.toLowerCase();
    const classes = [...part.replace(/\([^)]*\)/g, '').matchAll(/\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    const pseudo = /::?(before|after)\b/.exec(part)?.[1];
    compounds.push({ tag, classes, pseudo, combinator });
    combinator = ' ';
  }
  return compounds.reverse();  // rightmost first; each compound's combinator joins it to the one on its left
}

// True when parseSelector checks everything the selector says: types, classes, descendant and child.
const checkable = (selector) => /^[\sA-Za-z0-9_.>-]+$/.test(selector);

function compoundMatches(compound, element) {
  return (!compound.tag || compound.tag === element.tag) && compound.classes.every((c) => element.classes.has(c));
}

// Does the selector (rightmost first) match chain[index], given its ancestors chain[0 … index-1]?
function matchesAt(compounds, chain, index, k = 0) {
  if (!compoundMatches(compounds[k], chain[index])) return false;
  if (k === compounds.length - 1) return true;
  const combinator = compounds[k].combinator;
  if (combinator === '>') return index > 0 && matchesAt(compounds, chain, index - 1, k + 1);
  for (let i = index - 1; i >= 0; i--) if (matchesAt(compounds, chain, i, k + 1)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Which characters each shipped face must draw

/**
 * Maps each face declared in `css` (KaTeX's stylesheet as it will ship) to the characters of `html`
 * that may be drawn with it: Map<face, Set<character>>. Also returns the texts none of whose candidate
 * families is shipped at all (`unshipped`), for the caller to report.
 */
export function charactersByFace(html, css) {
  const faces = fontFaces(css);
  const byFace = new Map(faces.map((f) => [f.face, new Set()]));
  const rules = fontRules(css).flatMap((rule) => rule.selectors.map((s) => ({ ...rule, compounds: parseSelector(s), certain: checkable(s) })));
  const unshipped = [];

  // The faces a text may be drawn with. Family, weight and style are inherited: each comes from the
  // nearest element (the text's parent, then up) that a rule setting it matches. Every rule matching that
  // element counts, whatever its specificity; a rule whose selector we cannot fully check adds its value
  // but does not stop the walk up.
  const addText = (text, chain) => {
    if (!text) return;
    const families = new Set(), weights = new Set(), styles = new Set();
    const settled = { family: false, weight: false, style: false };
    for (let i = chain.length - 1; i >= 0; i--) {
      const found = { family: false, weight: false, style: false };
      for (const rule of rules) {
        if (rule.compounds[0].pseudo || !matchesAt(rule.compounds, chain, i)) continue;
        if (rule.family && !settled.family) { families.add(rule.family); found.family ||= rule.certain; }
        if (rule.weights.length && !settled.weight) { rule.weights.forEach((w) => weights.add(w)); found.weight ||= rule.certain; }
        if (rule.styles.length && !settled.style) { rule.styles.forEach((s) => styles.add(s)); found.style ||= rule.certain; }
      }
      for (const key of Object.keys(settled)) settled[key] ||= found[key];
    }
    if (!weights.size) weights.add('400');
    if (!styles.size) styles.add('normal');
    const targets = new Set();
    for (const family of families) {
      const ofFamily = faces.filter((f) => f.family === family).map((f) => f.face);
      for (const weight of weights) {
        for (const style of styles) {
          const face = `${family}/${weight}/${style}`;
          // A face the page does not ship is synthesised from the family's nearest one: cover them all.
          for (const t of byFace.has(face) ? [face] : ofFamily) targets.add(t);
        }
      }
    }
    if (!targets.size) unshipped.push({ text, families: [...families] });
    for (const face of targets) for (const ch of text) byFace.get(face).add(ch);
  };

  for (const { text, chain } of katexTexts(html)) {
    addText(text, chain);
    // Text a stylesheet rule generates (::before/::after { content: "(" counter(…) ")" }) on this element.
    for (const rule of rules) {
      if (!rule.content || !rule.compounds[0].pseudo) continue;
      const [own, ...rest] = rule.compounds;
      const compounds = [{ ...own, pseudo: undefined }, ...rest];
      if (!matchesAt(compounds, chain, chain.length - 1)) continue;
      const literal = [...rule.content.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]).join('');
      addText(literal + (/counter/.test(rule.content) ? '0123456789' : ''), chain);
    }
  }
  return { byFace, unshipped };
}

// ---------------------------------------------------------------------------------------------------

/**
 * Writes into `to` (dist/katex) a subset of each font `css` declares, taken from `from` (KaTeX's dist
 * folder), keeping the same file names. Faces no text uses are not written and their @font-face rules
 * are removed. Returns { css, fonts: [file names written], characters: Map<face, Set> }.
 */
export function subsetKatexFonts({ html, css, from, to }) {
  const { byFace, unshipped } = charactersByFace(html, css);
  if (unshipped.length) {
    const sample = unshipped.slice(0, 3).map((u) => `${JSON.stringify(u.text)} (${u.families.join(', ') || 'no family'})`).join('; ');
    throw new Error(`subset-katex-fonts: ${unshipped.length} KaTeX texts would be drawn with fonts the page does not ship, e.g. ${sample}`);
  }
  const jobs = [];
  const kept = css.replace(/@font-face\{([^}]*)\}/g, (whole) => {
    const [{ face, url }] = fontFaces(whole);
    const characters = byFace.get(face);
    if (!characters.size) return '';
    jobs.push({ from: path.join(from, url), to: path.join(to, url), codepoints: [...characters].map((c) => c.codePointAt(0)) });
    return whole;
  });
  for (const job of jobs) mkdirSync(path.dirname(job.to), { recursive: true });
  if (jobs.length) runHelper(['subset'], JSON.stringify(jobs));
  return { css: kept, fonts: jobs.map((j) => path.basename(j.to)), characters: byFace };
}
