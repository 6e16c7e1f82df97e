#!/usr/bin/env node
// build-site.mjs — turns web/ into dist/, one self-contained static folder (web/README.md).
//
//   node scripts/build-site.mjs [--out DIR] [--no-core]
//
//   dist/index.html          web/index.html with every <!--#include steps/step-N.html --> expanded and
//                            every $…$ / $$…$$ typeset by KaTeX (nothing typesets at run time)
//   dist/app.js              web/js/main.js and everything it imports, one minified IIFE (a classic
//                            script: the only kind that loads from file://)
//   dist/style.css           web/css/main.css and what it @imports, minified
//   dist/katex/katex.min.css KaTeX's stylesheet: the woff2 fonts the typeset math uses, the rules it can match
//   dist/katex/fonts/*.woff2 those fonts, each cut to the glyphs the page draws with it (subset-katex-fonts.mjs)
//   dist/bnkata-core.js      the WASM module of the Batch Normalization ops (SINGLE_FILE classic script),
//                            copied from build/wasm/: the only module a first visit loads
//   dist/bnkata-exercises.js the exercises' WASM module, loaded when the first exercise comes near; app.js
//                            carries its exercise catalog, computed here, so the progress panel at the
//                            top of the page does not need the module
//   dist/lab.js, mnist.js    the step 3 training lab and its digits, loaded on demand (scripts/build-lab.mjs)
//   dist/editor.js           CodeMirror for the step 5 code exercises, loaded on demand
//
// Environment: BNKATA_WASM_DIR (default build/wasm) — where bnkata-core.js is taken from, so a helper can
// use a private build dir; BNKATA_DIST_DIR (default dist) — the output folder, same as --out.
// --no-core builds the page without the WASM module (the page then says the core failed to load).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { buildLab } from './build-lab.mjs';  // dist/lab.js and dist/mnist.js: the step 3 lab, loaded on demand
import { subsetKatexFonts } from './subset-katex-fonts.mjs';  // dist/katex/fonts: only the glyphs used
import { pageClasses, trimKatexCss } from './trim-katex-css.mjs';  // dist/katex/katex.min.css: only rules the page can match
import { BUNDLE, SCRIPT_BUNDLE } from './esbuild-options.mjs';

const require = createRequire(import.meta.url);
const katex = require('katex');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');

// ---------------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const options = {
    out: process.env.BNKATA_DIST_DIR || 'dist',
    wasmDir: process.env.BNKATA_WASM_DIR || path.join('build', 'wasm'),
    core: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') options.out = argv[++i];
    else if (arg.startsWith('--out=')) options.out = arg.slice('--out='.length);
    else if (arg === '--no-core') options.core = false;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/build-site.mjs [--out DIR] [--no-core]  (env: BNKATA_WASM_DIR, BNKATA_DIST_DIR)');
      process.exit(0);
    } else throw new BuildError(`unknown argument ${JSON.stringify(arg)} (try --help)`);
  }
  options.out = path.resolve(root, options.out);
  options.wasmDir = path.resolve(root, options.wasmDir);
  return options;
}

class BuildError extends Error {}

// ---------------------------------------------------------------------------------------------------
// HTML: includes

const INCLUDE = /<!--#include\s+([^\s>]+)\s*-->/g;

// Replaces every <!--#include FILE --> (FILE relative to web/) with that file, typeset, recursively.
// Each file is typeset on its own so that an error names the file and line it is in.
function assemble(file, stack = []) {
  const rel = path.relative(webDir, file);
  if (stack.includes(file)) throw new BuildError(`include cycle: ${[...stack, file].map((f) => path.relative(webDir, f)).join(' → ')}`);
  if (!existsSync(file)) {
    const from = stack.length ? ` (included from web/${path.relative(webDir, stack.at(-1))})` : '';
    throw new BuildError(`web/${rel} not found${from}`);
  }
  const typeset = typesetHtml(readFileSync(file, 'utf8'), `web/${rel}`);
  return typeset.replace(INCLUDE, (_, target) => {
    const resolved = path.resolve(webDir, target);
    if (!resolved.startsWith(webDir + path.sep)) throw new BuildError(`web/${rel}: include ${target} is outside web/`);
    return assemble(resolved, [...stack, file]).trimEnd();
  });
}

// ---------------------------------------------------------------------------------------------------
// HTML: math typesetting at build time
//
// The HTML is split into markup (tags, comments, doctype) and text. Only text is typeset, and not the
// text inside elements whose content is code or raw text (script, style, title, textarea, pre, code, kbd,
// samp). Attribute values are part of a tag, so they are never touched. In text, \$ is a literal dollar
// sign; $$…$$ is display math, $…$ inline math. Math does not span markup: each formula lies within
// one run of text. An unmatched $ is an error (write \$ for a dollar sign), as is TeX KaTeX rejects.

const VERBATIM = new Set(['script', 'style', 'title', 'textarea', 'pre', 'code', 'kbd', 'samp']);
const MARKUP = /<!--[\s\S]*?-->|<![^>]*>|<\/?[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;

function typesetHtml(html, label) {
  let out = '';
  let last = 0;
  const verbatimStack = [];  // names of the open verbatim elements
  for (const match of html.matchAll(MARKUP)) {
    const text = html.slice(last, match.index);
    out += verbatimStack.length ? text : typesetText(text, label, lineOf(html, last));
    out += match[0];
    last = match.index + match[0].length;
    const tag = /^<(\/?)([A-Za-z][^\s/>]*)/.exec(match[0]);
    if (!tag) continue;  // comment or doctype
    const name = tag[2].toLowerCase();
    if (!VERBATIM.has(name) || match[0].endsWith('/>')) continue;
    if (tag[1]) {
      const at = verbatimStack.lastIndexOf(name);
      if (at >= 0) verbatimStack.length = at;
    } else {
      verbatimStack.push(name);
    }
  }
  const rest = html.slice(last);
  out += verbatimStack.length ? rest : typesetText(rest, label, lineOf(html, last));
  return out;
}

function lineOf(text, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// Typesets one run of HTML text that starts on line `line` of the file `label`.
function typesetText(text, label, line) {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '$') {  // \$ outside math: a literal dollar sign
      out += '$';
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const display = text[i + 1] === '$';
    const open = display ? 2 : 1;
    const close = findClosingDollar(text, i + open, display);
    const where = `${label}:${line + (text.slice(0, i).match(/\n/g) || []).length}`;
    if (close < 0) {
      throw new BuildError(`${where}: unmatched ${display ? '$$' : '$'} (write \\$ for a literal dollar sign)`);
    }
    const tex = decodeEntities(text.slice(i + open, close));
    if (!tex.trim()) throw new BuildError(`${where}: empty formula`);
    try {
      out += katex.renderToString(tex, { displayMode: display, throwOnError: true, output: 'htmlAndMathml' });
    } catch (error) {
      throw new BuildError(`${where}: KaTeX cannot typeset ${JSON.stringify(tex)}: ${error.message}`);
    }
    i = close + open;
  }
  return out;
}

// Index of the $ (or $$) that closes a formula whose TeX starts at `from`, skipping TeX's own \$; -1 if none.
function findClosingDollar(text, from, display) {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') { j++; continue; }  // \$, \\ and every other escape belong to the TeX
    if (text[j] !== '$') continue;
    if (!display) return j;
    if (text[j + 1] === '$') return j;
  }
  return -1;
}

// TeX written in HTML text may escape <, > and & as entities; KaTeX wants the characters.
function decodeEntities(tex) {
  return tex
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, '\u00a0')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------------
// KaTeX stylesheet and fonts: ship only woff2, and only the faces the typeset math can use.
//
// Which faces: KaTeX's own rules say which class selects which family, weight and style
// (`.katex .mathnormal{font-family:KaTeX_Math;font-style:italic}`). A rule counts when every class in
// its selector occurs in the built page. The root .katex is KaTeX_Main regular. Faces not shipped are
// also dropped from the stylesheet, so the browser never requests a missing file.

const KATEX_DIST = path.join(path.dirname(require.resolve('katex/package.json')), 'dist');

function neededFaces(css, classes) {
  const faces = new Set(['KaTeX_Main/400/normal']);
  const add = (family, weight, style) => faces.add(`${family}/${weight}/${style}`);
  for (const rule of css.replace(/@font-face\{[^}]*\}/g, '').matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
    const body = rule[2];
    const family = /font-family:\s*([A-Za-z0-9_]+)/.exec(body)?.[1];
    const weight = /font-weight:\s*(bold|700)/.test(body) ? '700' : '400';
    const style = /font-style:\s*italic/.test(body) ? 'italic' : 'normal';
    if (!family && !/font-(weight|style)/.test(body)) continue;
    if (family && !family.startsWith('KaTeX_')) continue;
    for (const selector of rule[1].split(',')) {
      if (!selector.includes('.katex')) continue;
      const selectorClasses = [...selector.matchAll(/\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
      if (!selectorClasses.every((c) => classes.has(c))) continue;
      add(family || 'KaTeX_Main', weight, style);
    }
  }
  // Nested \textbf{\textit{…}} and the like combine weight and style: keep bold italic when both occur.
  for (const face of [...faces]) {
    const [family] = face.split('/');
    if (faces.has(`${family}/700/normal`) && (faces.has(`${family}/400/italic`))) add(family, '700', 'italic');
  }
  return faces;
}

function buildKatexAssets(html, outDir) {
  const css = readFileSync(path.join(KATEX_DIST, 'katex.min.css'), 'utf8');
  const faces = neededFaces(css, pageClasses(html));
  const fonts = [];
  const trimmed = css.replace(/@font-face\{([^}]*)\}/g, (_, body) => {
    const family = /font-family:\s*"?([A-Za-z0-9_]+)/.exec(body)[1];
    const weight = /font-weight:\s*(bold|700)/.test(body) ? '700' : '400';
    const style = /font-style:\s*italic/.test(body) ? 'italic' : 'normal';
    if (!faces.has(`${family}/${weight}/${style}`)) return '';
    const woff2 = /url\((fonts\/[^)]+\.woff2)\)/.exec(body)[1];
    fonts.push(woff2);
    return `@font-face{${body.replace(/src:[^;}]*/, `src:url(${woff2}) format("woff2")`)}}`;
  });
  // Each font keeps only the glyphs the page draws with it; a face no text uses is dropped, rule and all.
  const subset = subsetKatexFonts({ html, css: trimmed, from: KATEX_DIST, to: path.join(outDir, 'katex') });
  writeFileSync(path.join(outDir, 'katex', 'katex.min.css'), trimKatexCss(subset.css, html));  // rules the page can match
  return subset.fonts;
}

// ---------------------------------------------------------------------------------------------------
// Script and stylesheet bundles

// `catalog` is the exercise engine's answer to {"op":"exercise_catalog"}: the virtual module
// 'bnkata:exercise-catalog' exports it (web/js/exercises/progress-panel.js).
async function bundleScript(outDir, catalog) {
  await esbuild.build({
    entryPoints: [path.join(webDir, 'js', 'main.js')],
    outfile: path.join(outDir, 'app.js'),
    ...SCRIPT_BUNDLE,
    plugins: [{
      name: 'exercise-catalog',
      setup(build) {
        build.onResolve({ filter: /^bnkata:exercise-catalog$/ }, () => ({ path: 'exercise-catalog', namespace: 'bnkata' }));
        build.onLoad({ filter: /.*/, namespace: 'bnkata' }, () => ({ contents: `export default ${JSON.stringify(catalog)};`, loader: 'js' }));
      },
    }],
  });
  // dist/editor.js: CodeMirror for the code exercises, loaded on demand (web/js/exercises/code-editor.js).
  await esbuild.build({
    entryPoints: [path.join(webDir, 'js', 'exercises', 'editor-bundle.js')],
    outfile: path.join(outDir, 'editor.js'),
    ...SCRIPT_BUNDLE,
  });
}

async function bundleStyle(outDir) {
  const entry = path.join(webDir, 'css', 'main.css');
  const outfile = path.join(outDir, 'style.css');
  if (!existsSync(entry)) {
    console.warn('build-site: web/css/main.css does not exist yet; dist/style.css is empty');
    writeFileSync(outfile, '');
    return;
  }
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    ...BUNDLE,
    // Files a stylesheet refers to are copied next to it under assets/, with a content hash.
    loader: { '.woff2': 'file', '.woff': 'file', '.svg': 'file', '.png': 'file' },
    assetNames: 'assets/[name]-[hash]',
  });
}

// ---------------------------------------------------------------------------------------------------
// The WASM module

const MODULES = ['bnkata-core.js', 'bnkata-exercises.js'];

// Copies the page's WASM modules into dist/ and returns the exercise catalog, asked of the exercises'
// module itself (so the catalog app.js carries is the engine's own). Without the modules (--no-core) the
// catalog is empty: the page then says the core failed to load.
async function copyModules(options) {
  if (!options.core) {
    console.warn('build-site: --no-core: dist/ has no WASM modules; the page will report that the core failed to load');
    return { core: false, catalog: { exercises: [] } };
  }
  for (const name of MODULES) {
    const from = path.join(options.wasmDir, name);
    if (!existsSync(from)) {
      throw new BuildError(
        `${path.relative(root, from) || from} not found. Build it (cmake --preset wasm && cmake --build --preset wasm), ` +
        'point BNKATA_WASM_DIR at your own wasm build dir, or pass --no-core to build the page without it.');
    }
    copyFileSync(from, path.join(options.out, name));
  }
  return { core: true, catalog: await exerciseCatalog(path.join(options.wasmDir, 'bnkata-exercises.js')) };
}

async function exerciseCatalog(script) {
  const module = await require(script)();
  const catalog = JSON.parse(module.compute(JSON.stringify({ op: 'exercise_catalog' })));
  if (!catalog || catalog.error || !Array.isArray(catalog.exercises) || catalog.exercises.length === 0) {
    throw new BuildError(`${path.relative(root, script)} gave no exercise catalog: ${JSON.stringify(catalog).slice(0, 200)}`);
  }
  return catalog;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // The output folder is deleted and rebuilt: never let that be the project, web/ or one of their parents.
  for (const precious of [root, webDir]) {
    if (precious === options.out || precious.startsWith(options.out + path.sep)) {
      throw new BuildError(`refusing to use ${options.out} as the output folder (it would delete ${precious})`);
    }
  }
  const html = assemble(path.join(webDir, 'index.html'));
  rmSync(options.out, { recursive: true, force: true });
  mkdirSync(options.out, { recursive: true });
  writeFileSync(path.join(options.out, 'index.html'), html);
  const fonts = buildKatexAssets(html, options.out);
  const { core, catalog } = await copyModules(options);
  await bundleScript(options.out, catalog);
  await bundleStyle(options.out);
  if (core) await buildLab({ out: options.out, wasmDir: options.wasmDir });
  console.log(`build-site: ${path.relative(root, options.out) || '.'}/ — index.html, app.js, style.css, ` +
    `katex/ (${fonts.length} fonts)${core ? ', ' + MODULES.join(', ') + ' from ' + path.relative(root, options.wasmDir) : ''}`);
}

export { typesetHtml, neededFaces, BuildError };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main().catch((error) => {
  if (error instanceof BuildError) console.error(`build-site: ${error.message}`);
  else if (error?.errors) { /* esbuild already printed its diagnostics */ console.error('build-site: bundling failed'); }
  else console.error(error);
  process.exit(1);
});
