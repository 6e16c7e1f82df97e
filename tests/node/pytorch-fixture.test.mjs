// Step 4's "What PyTorch really does": the committed program and its committed output
// (tests/fixtures/pytorch_train_eval.py / .txt, a real run of Debian's python3-torch) appear in the built
// page verbatim, and the numbers PyTorch printed are the ones the lesson's core computes for the same
// batch (the running statistics after one training step under PyTorch's convention, and the eval output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name) => readFileSync(path.join(root, 'tests', 'fixtures', name), 'utf8').trimEnd();
const dist = path.join(root, process.env.BNKATA_DIST_DIR || 'dist', 'index.html');
const unescape = (html) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function preText(html, id) {
  const match = new RegExp(`<pre[^>]*id="${id}"[^>]*>(?:<code>|<samp>)([\\s\\S]*?)(?:</code>|</samp>)</pre>`).exec(html);
  assert.ok(match, `the page has the block #${id}`);
  return unescape(match[1]);
}

test('step 4 shows the PyTorch program and what it printed, verbatim', () => {
  assert.ok(existsSync(dist), 'dist/index.html exists (node scripts/build-site.mjs)');
  const html = readFileSync(dist, 'utf8');
  assert.equal(preText(html, 'pytorch-train-eval-code'), fixture('pytorch_train_eval.py'));
  assert.equal(preText(html, 'pytorch-train-eval-output'), fixture('pytorch_train_eval.txt'));
});

test('what PyTorch printed is what the core computes for the same batch', () => {
  const out = fixture('pytorch_train_eval.txt').split('\n');
  const numbers = (line) => JSON.parse(line.slice(line.indexOf('[')));
  assert.equal(out.length, 7);
  const cli = process.env.BNKATA_CLI || path.join(root, 'build', 'native', 'bnkata');
  const compute = (request) => JSON.parse(spawnSync(cli, ['compute'], { input: JSON.stringify(request), encoding: 'utf8' }).stdout);
  const close = (got, want, label) => got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 5e-7, `${label}[${i}]: ${v} vs ${want[i]}`));
  const x = [1, 2, 3, 4];
  close(numbers(out[1]), compute({ op: 'forward_train', x }).y, 'train() output');
  const step = compute({ op: 'update_running', x, running_mean: [0], running_var: [1], convention: 'pytorch' });
  close(numbers(out[2]), [step.running_mean[0], step.running_var[0]], 'running statistics after one step');
  close(numbers(out[3]), compute({ op: 'forward_eval', x, running_mean: step.running_mean, running_var: step.running_var }).y, 'eval() output');
  close(numbers(out[4]), numbers(out[2]), 'eval changes nothing');
  assert.match(out[5], /True$/, 'no_grad() leaves training mode on');
  const again = compute({ op: 'update_running', x, running_mean: step.running_mean, running_var: step.running_var, convention: 'pytorch' });
  close(numbers(out[6]), [again.running_mean[0], again.running_var[0]], 'updated again under no_grad()');
});
