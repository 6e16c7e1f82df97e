// Calling the core from Node exactly as web/js/core.js (and the README) say: require the built
// bnkata-core.js, hand its factory to loadCore, call compute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadCore, loadExerciseEngine } from '../../web/js/core.js';
import { exercisesScript, wasmScript } from './lib/wasm-core.mjs';

test('require(bnkata-core.js) + loadCore({ factory }) gives the façade; compute answers the seed example', async () => {
  const createBnKata = createRequire(import.meta.url)(wasmScript);
  assert.equal(typeof createBnKata, 'function');
  const core = await loadCore({ factory: createBnKata });
  const r = core.compute({ op: 'forward_train', x: [1, 2, 3, 4] });
  assert.deepEqual(r.batch_mean, [2.5]);
  assert.deepEqual(r.batch_var, [1.25]);
  const raw = await createBnKata();
  assert.equal(typeof raw.compute('{"op":"forward_train","x":[1,2,3,4]}'), 'string');
});

test('require(bnkata-exercises.js) + loadExerciseEngine({ factory }) answers every op: an exercise, and the BN ops too', async () => {
  const engine = await loadExerciseEngine({ factory: createRequire(import.meta.url)(exercisesScript) });
  const exercise = engine.compute({ op: 'exercise', id: 's1-mean-var', seed: 7 });
  assert.equal(exercise.id, 's1-mean-var');
  assert.equal(exercise.seed, 7);
  assert.ok(Array.isArray(exercise.data.x) && exercise.data.x.length > 0);
  assert.deepEqual(engine.compute({ op: 'forward_train', x: [1, 2, 3, 4] }).batch_var, [1.25]);
  await assert.rejects(() => loadExerciseEngine({ factory: undefined }), /createBnKataExercises is missing/);
});

test('loadCore without the module says what is missing instead of failing obscurely', async () => {
  await assert.rejects(() => loadCore({ factory: undefined }), /createBnKata is missing/);
});
