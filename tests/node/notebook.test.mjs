// "Download as a notebook": the .ipynb the page builds for a seed (web/js/exercises/notebook.js, from the
// core's exercise JSON) runs from top to bottom with Debian's python3-numpy — each code cell exec'd in
// order in one namespace, as Jupyter's kernel would — and the answers file its last cell writes is graded
// by `bnkata check`: every exercise the notebook computes is correct, the others are not attempted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildNotebook, NOTEBOOK_SOLVED } from '../../web/js/exercises/notebook.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.BNKATA_CLI || path.join(root, 'build', 'native', 'bnkata');
const python = process.env.BNKATA_PYTHON || '/usr/bin/python3';
const compute = (request) => JSON.parse(spawnSync(cli, ['compute'], { input: JSON.stringify(request), encoding: 'utf8' }).stdout);

// Jupyter without Jupyter: every code cell, in order, in one namespace, in the notebook's folder.
const RUNNER = `
import json, os, sys
notebook = json.load(open(sys.argv[1]))
os.chdir(os.path.dirname(sys.argv[1]))
namespace = {}
for cell in notebook["cells"]:
    if cell["cell_type"] == "code":
        exec(compile("".join(cell["source"]), cell["id"], "exec"), namespace)
`;

for (const seed of [7, 123456789]) {
  test(`the notebook for seed ${seed} runs in order and its answers file passes bnkata check`, () => {
    const catalog = compute({ op: 'exercise_catalog' }).exercises;
    const exercises = catalog.map((e) => compute({ op: 'exercise', id: e.id, seed }));
    const notebook = buildNotebook(seed, exercises);
    assert.equal(notebook.nbformat, 4);
    const text = JSON.stringify(notebook);
    for (const e of exercises) assert.ok(text.includes(JSON.stringify(e.prompt).slice(1, 40)), `${e.id}'s prompt is in the notebook`);
    const dir = mkdtempSync(path.join(tmpdir(), 'bnkata-notebook-'));
    try {
      const file = path.join(dir, `bnkata-seed-${seed}.ipynb`);
      writeFileSync(file, JSON.stringify(notebook, null, 1));
      const run = spawnSync(python, ['-c', RUNNER, file], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`wrote ${NOTEBOOK_SOLVED.length} answers`));
      const answers = path.join(dir, `bnkata-answers-seed-${seed}.json`);
      assert.ok(existsSync(answers));
      const check = spawnSync(cli, ['check', answers], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      for (const id of NOTEBOOK_SOLVED) assert.match(check.stdout, new RegExp(`^correct\\s+${id}\\s`, 'm'), `${id} is correct`);
      assert.match(check.stdout, new RegExp(`summary: ${NOTEBOOK_SOLVED.length} correct, 0 incorrect, ${catalog.length - NOTEBOOK_SOLVED.length} not attempted, 0 invalid`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a notebook cell that goes wrong is graded like any other wrong answer: the mistake is named', () => {
  const seed = 7;
  const exercises = [compute({ op: 'exercise', id: 's1-mean-var', seed })];
  const notebook = buildNotebook(seed, exercises);
  // The learner edits the cell to the unbiased variance (ddof=1).
  const cell = notebook.cells.find((c) => c.cell_type === 'code' && c.source.join('').includes('answers["s1-mean-var"] ='));
  cell.source = cell.source.map((line) => line.replace('"var": float(var_b)', '"var": float(np.var(x, ddof=1))'));
  const dir = mkdtempSync(path.join(tmpdir(), 'bnkata-notebook-'));
  try {
    const file = path.join(dir, 'kata.ipynb');
    writeFileSync(file, JSON.stringify(notebook));
    assert.equal(spawnSync(python, ['-c', RUNNER, file], { encoding: 'utf8' }).status, 0);
    const check = spawnSync(cli, ['check', path.join(dir, 'bnkata-answers-seed-7.json')], { encoding: 'utf8' });
    assert.equal(check.status, 1);
    assert.match(check.stdout, /incorrect\s+s1-mean-var.*Unbiased variance in the forward pass/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
