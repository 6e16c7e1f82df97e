// The README and docs/ point only at files that exist in the repository: every relative link
// [text](path) in README.md and docs/*.md resolves to a file or folder inside the checkout.
// Links to other sites (https:, mailto:) and to anchors in the same file are not files, so they are
// left out; a link's own #anchor is dropped before the file is looked up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const documents = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

// Inline links and images, [text](target) / ![alt](target "title"), outside fenced code blocks.
export function relativeLinks(markdown) {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const links = [];
  for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    links.push(decodeURIComponent(target.split('#')[0]));
  }
  return links;
}

test('the link finder sees relative links and leaves out other sites, anchors and code', () => {
  const found = relativeLinks([
    'See [the contract](docs/contract.md#errors), ![a figure](img/a.png "A").',
    '[a site](https://example.org) [mail](mailto:a@b.c) [here](#tests)',
    '```', '[in code](nowhere.md)', '```',
  ].join('\n'));
  assert.deepEqual(found, ['docs/contract.md', 'img/a.png']);
});

for (const document of documents) {
  test(`every relative link in ${document} resolves to a file in the repository`, () => {
    const links = relativeLinks(readFileSync(path.join(root, document), 'utf8'));
    const broken = links.filter((link) => {
      const target = path.resolve(path.dirname(path.join(root, document)), link);
      return !target.startsWith(root + path.sep) || !existsSync(target);
    });
    assert.deepEqual(broken, [], `${document} links to ${broken.join(', ')}`);
  });
}

test('the README links to its docs (so the check above has links to check)', () => {
  const links = relativeLinks(readFileSync(path.join(root, 'README.md'), 'utf8'));
  for (const doc of ['docs/contract.md', 'docs/benchmarks.md', 'docs/toolchain.md']) assert.ok(links.includes(doc), doc);
});
