// The normalization family's ops (normalize, normalize_backward) answer identically from the page's
// first-visit module (bnkata-core.js), the exercises' module and `bnkata compute`: byte-for-byte the
// same response text, good requests and bad, for every kind — and the torch fixture's requests too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadExercisesModule, loadWasmModule, projectRoot, runNative } from './lib/wasm-core.mjs';

let coreModule, exercisesModule;
before(async () => { [coreModule, exercisesModule] = await Promise.all([loadWasmModule(), loadExercisesModule()]); });

function sameEverywhere(label, text) {
  const native = runNative(text);
  assert.equal(native.signal, null, `${label}: the CLI crashed (${native.signal})`);
  const expected = native.stdout.trimEnd();
  assert.equal(coreModule.compute(text), expected, `${label}: bnkata-core.js and native answers differ`);
  assert.equal(exercisesModule.compute(text), expected, `${label}: bnkata-exercises.js and native answers differ`);
  return { response: JSON.parse(expected), status: native.status };
}

// A fixed (N, C, H, W) = (3, 4, 2, 3) batch from a linear congruential sequence, the same on every run.
let state = 2018;
const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 8 - 4;
const image = (n, c, h, w) => Array.from({ length: n }, () => Array.from({ length: c }, () =>
  Array.from({ length: h }, () => Array.from({ length: w }, next))));
const x = image(3, 4, 2, 3), dy = image(3, 4, 2, 3);
const KINDS = [{ kind: 'batch' }, { kind: 'layer' }, { kind: 'instance' }, { kind: 'group', groups: 2 }];

test('every kind, forward and backward: the three builds give identical answers, and the CLI exits 0', () => {
  for (const kind of KINDS) {
    for (const request of [
      { op: 'normalize', ...kind, x, gamma: [1, 2, 0.5, -1], beta: [0, 1, -1, 0.25] },
      { op: 'normalize_backward', ...kind, x, dy, gamma: [1, 2, 0.5, -1] },
      { op: 'normalize', ...kind, x: x.map((example) => example.map((channel) => channel.map((row) => row.map((v) => 1e8 + v)))) },
      { op: 'normalize', ...kind, x: [x[0]] },
    ]) {
      const label = `${request.op} ${JSON.stringify(kind)}`;
      const { response, status } = sameEverywhere(label, JSON.stringify(request));
      assert.equal(response.error, undefined, `${label}: ${JSON.stringify(response.error)}`);
      assert.equal(status, 0, label);
    }
  }
});

test('the PyTorch fixture\'s requests: identical answers in the three builds', () => {
  const fixture = JSON.parse(readFileSync(path.join(projectRoot, 'tests/fixtures/normalize_torch_cases.json'), 'utf8'));
  for (const c of fixture.cases) {
    sameEverywhere(c.name, JSON.stringify({ op: 'normalize', ...c.request }));
    sameEverywhere(`${c.name} backward`, JSON.stringify({ op: 'normalize_backward', ...c.request, dy: c.dy }));
  }
});

test('bad requests: identical error values naming the field, and the CLI exits non-zero', () => {
  const bad = [
    ['unknown kind', { op: 'normalize', kind: 'weight', x }, 'kind'],
    ['no kind', { op: 'normalize', x }, 'kind'],
    ['groups not dividing C', { op: 'normalize', kind: 'group', groups: 3, x }, 'groups'],
    ['groups on layer', { op: 'normalize', kind: 'layer', groups: 2, x }, 'groups'],
    ['gamma of the wrong length', { op: 'normalize', kind: 'instance', x, gamma: [1, 2] }, 'gamma'],
    ['NaN (JSON.stringify writes null)', { op: 'normalize', kind: 'layer', x: [[1, NaN], [3, 4]] }, 'x'],
    ['ragged x', { op: 'normalize_backward', kind: 'layer', x: [[1, 2], [3]], dy: [[1, 2], [3]] }, 'x'],
    ['dy of another shape', { op: 'normalize_backward', kind: 'layer', x, dy: [[1]] }, 'dy'],
    ['a variance that overflows a double', { op: 'normalize', kind: 'layer', x: [[1e308, -1e308]] }, 'x'],
  ];
  for (const [label, request, field] of bad) {
    const { response, status } = sameEverywhere(label, JSON.stringify(request));
    assert.equal(response.error?.field, field, `${label}: ${JSON.stringify(response)}`);
    assert.notEqual(status, 0, label);
  }
});
