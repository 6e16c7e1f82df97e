// Exercises are the same everywhere: for every exercise and a spread of seeds, the WASM build (the page)
// and the native CLI draw byte-for-byte the same exercise and give the same verdicts, and `bnkata check`
// re-grades an exported answers file exactly as the page's check_answers does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadExercisesModule, runNative, nativeCli, projectRoot } from './lib/wasm-core.mjs';

let module;
before(async () => { module = await loadExercisesModule(); });

const SEEDS = [0, 1, 2, 3, 7, 42, 1000, 123456789, 9007199254740991];
const fixture = (name) => path.join(projectRoot, 'tests/fixtures/exercises', name);

function same(label, request) {
  const text = JSON.stringify(request);
  const wasm = module.compute(text);
  const native = runNative(text);
  assert.equal(native.signal, null, `${label}: the CLI crashed`);
  assert.equal(native.stdout.trimEnd(), wasm, `${label}: WASM and native differ`);
  return JSON.parse(wasm);
}

test('every exercise, drawn with the same seed, is byte-identical in WASM and natively', () => {
  const catalog = same('catalog', { op: 'exercise_catalog' });
  assert.ok(catalog.exercises.length >= 19);
  for (const { id } of catalog.exercises) {
    for (const seed of SEEDS) {
      const exercise = same(`${id} seed ${seed}`, { op: 'exercise', id, seed });
      assert.equal(exercise.id, id);
      // Its own solution is graded identically (and correctly, where the solution is an answer).
      if (exercise.kind !== 'predict' && exercise.kind !== 'code') {
        const graded = same(`${id} seed ${seed} solution`, { op: 'grade', id, seed, answer: exercise.solution.answer });
        assert.equal(graded.verdict, 'correct', `${id} seed ${seed}`);
      }
    }
  }
});

test('seed 7 draws the pinned numbers in WASM too', () => {
  const x = JSON.parse(module.compute(JSON.stringify({ op: 'exercise', id: 's1-mean-var', seed: 7 }))).data.x;
  assert.deepEqual(x, [1, 2, 0, 0, 6]);
});

test('wrong answers, formulas and hostile text get the same verdicts in both builds', () => {
  const cases = [
    { id: 's1-mean-var', seed: 7, answer: { mean: 1.8, var: 6.2 } },
    { id: 's1-formula', seed: 1, answer: { xhat: '(x − μ)/(√σ² + ε)' } },
    { id: 's1-formula', seed: 1, answer: { xhat: '(x + mu)/sqrt(var + eps)' } },
    { id: 's1-formula', seed: 1, answer: { xhat: '('.repeat(10000) + 'x' + ')'.repeat(10000) } },
    { id: 's5-numpy-paste', seed: 7, answer: { numpy_output: '<script>alert(1)</script>' } },
    { id: 's5-forward-code', seed: 7, answer: { outputs: [{ error: 'boom' }, { timeout: true }, 1, 2, 3, 4] } },
  ];
  for (const c of cases) same(`${c.id} ${JSON.stringify(c.answer).slice(0, 40)}`, { op: 'grade', ...c });
});

test('`bnkata check --json` re-grades an answers file exactly as the page does', () => {
  for (const name of ['answers-seed7-correct.json', 'answers-seed7-one-wrong.json']) {
    const file = JSON.parse(readFileSync(fixture(name), 'utf8'));
    const page = JSON.parse(module.compute(JSON.stringify({ op: 'check_answers', file })));
    const cli = spawnSync(nativeCli, ['check', '--json', fixture(name)], { encoding: 'utf8' });
    assert.equal(cli.signal, null);
    assert.deepEqual(JSON.parse(cli.stdout), page, name);
    assert.equal(cli.status, page.summary.incorrect + page.summary.invalid > 0 ? 1 : 0, name);
  }
});
