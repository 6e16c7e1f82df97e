// The site build and the static server: math is typeset at build time exactly where it should be and
// nowhere else, only the KaTeX fonts the page uses ship, and the server serves its folder under a subpath
// with the right types and nothing outside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { typesetHtml, neededFaces } from '../../scripts/build-site.mjs';
import { pageClasses } from '../../scripts/trim-katex-css.mjs';
import { startServer } from '../../scripts/serve.mjs';

const typesetCount = (html) => (html.match(/class="katex"/g) || []).length;

test('$…$ and $$…$$ in text become KaTeX markup (inline and display), with MathML for screen readers', () => {
  const out = typesetHtml('<p>Mean $\\mu_B$ and</p>\n$$\\hat x_i = \\frac{x_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}$$', 'test');
  assert.equal(typesetCount(out), 2);
  assert.equal((out.match(/class="katex-display"/g) || []).length, 1);
  assert.match(out, /<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"/);
  assert.doesNotMatch(out, /\$/);
});

test('\\$ is a literal dollar sign, in text and inside a formula', () => {
  const out = typesetHtml('<p>It costs \\$5; the formula $\\$3 + x$ too.</p>', 'test');
  assert.match(out, /It costs \$5; the formula /);
  assert.equal(typesetCount(out), 1);
  assert.match(out, /<mi mathvariant="normal">\$<\/mi>/);
});

test('script, style, code, pre, title, textarea, comments and attribute values are left alone', () => {
  const html = '<title>$a$</title><p title="$b$" data-x=\'$c$\'>x</p><pre>$d$</pre><code>$e$</code>' +
    '<script>var s = "$f$";</script><style>.g::after{content:"$g$"}</style><textarea>$h$</textarea><!-- $i$ -->' +
    '<pre><code>$j$</code> $k$</pre>';
  assert.equal(typesetHtml(html, 'test'), html);
});

test('HTML entities inside a formula reach KaTeX as characters (a &lt; b)', () => {
  const out = typesetHtml('<p>$a &lt; b$</p>', 'test');
  assert.match(out, /<mo>&lt;<\/mo>/);
});

test('an unmatched $ and TeX KaTeX rejects fail the build, naming file and line', () => {
  assert.throws(() => typesetHtml('<p>one</p>\n<p>costs $5</p>', 'web/steps/step-9.html'), /web\/steps\/step-9\.html:2: unmatched \$/);
  assert.throws(() => typesetHtml('<p>$\\frac{1}$</p>', 'f.html'), /f\.html:1: KaTeX cannot typeset/);
  assert.throws(() => typesetHtml('<p>$$x$</p>', 'f.html'), /unmatched \$\$/);
});

test('only the KaTeX font faces the typeset math can use are kept', () => {
  const css = readFileSync(new URL('../../node_modules/katex/dist/katex.min.css', import.meta.url), 'utf8');
  const plain = neededFaces(css, pageClasses(typesetHtml('<p>$x + 1$</p>', 't')));
  assert.deepEqual([...plain].sort(), ['KaTeX_Main/400/normal', 'KaTeX_Math/400/italic']);
  const bold = neededFaces(css, pageClasses(typesetHtml('<p>$\\mathbf{W} x$ and $\\mathbb{R}$</p>', 't')));
  assert.ok(bold.has('KaTeX_Main/700/normal'), 'mathbf needs Main bold');
  assert.ok(bold.has('KaTeX_AMS/400/normal'), 'mathbb needs AMS');
  assert.ok(!bold.has('KaTeX_Fraktur/400/normal'));
});

function get(url) {
  return new Promise((resolve, reject) => {
    // path-as-is: send the path exactly as written (Node would not normalise it either)
    const req = request(url, { method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the static server serves its folder under a subpath, with MIME types, and nothing outside it', async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'bnkata-serve-'));
  const dir = path.join(base, 'site');
  mkdirSync(path.join(dir, 'katex', 'fonts'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'app.js'), 'void 0;');
  writeFileSync(path.join(dir, 'style.css'), 'p{}');
  writeFileSync(path.join(dir, 'katex', 'fonts', 'f.woff2'), 'wOF2');
  writeFileSync(path.join(base, 'secret.txt'), 'secret');
  symlinkSync(path.join(base, 'secret.txt'), path.join(dir, 'link.txt'));
  const server = await startServer({ dir, base: '/lesson/', port: 0 });
  try {
    const origin = new URL(server.url).origin;
    assert.equal(server.url, `${origin}/lesson/`);
    const index = await get(`${origin}/lesson/`);
    assert.equal(index.status, 200);
    assert.equal(index.type, 'text/html; charset=utf-8');
    assert.equal((await get(`${origin}/lesson/app.js`)).type, 'text/javascript; charset=utf-8');
    assert.equal((await get(`${origin}/lesson/style.css`)).type, 'text/css; charset=utf-8');
    assert.equal((await get(`${origin}/lesson/katex/fonts/f.woff2`)).type, 'font/woff2');
    const redirect = await get(`${origin}/lesson`);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.location, '/lesson/');
    for (const escape of ['/lesson/../secret.txt', '/lesson/%2e%2e/secret.txt', '/lesson/..%2fsecret.txt', '/lesson/..%5csecret.txt',
      '/lesson/link.txt', '/secret.txt', '/index.html', '/lesson/%00', '/lesson/%zz', '/lesson/missing.js']) {
      const response = await get(`${origin}${escape}`);
      assert.equal(response.status, 404, escape);
      assert.doesNotMatch(response.body, /secret/, escape);
    }
  } finally {
    await server.close();
  }
});
