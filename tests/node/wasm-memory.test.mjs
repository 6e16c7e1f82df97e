// Calling the bindings many times does not grow WebAssembly memory: every call frees what it allocated
// (the request and response strings Embind copies, the parsed request, the core's tensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExercisesModule, loadFacade } from './lib/wasm-core.mjs';
import { BAD_REQUESTS } from './lib/requests.mjs';

const CALLS = 1000;
const VALUES = 4608;  // per large request: 36 KiB as doubles
const HUGE = 64 * 1024;  // request text beyond this is the size-limit probe: tested on its own below
const bytesOf = (module) => module.HEAP8.buffer.byteLength;

test(`${CALLS} compute calls (good and bad requests) leave the WebAssembly memory the same size`, async () => {
  const { core, module } = await loadFacade();
  // Short decimals: Emscripten's strtod is slow on 17-digit ones, and this test is about memory, not speed.
  const x = Array.from({ length: VALUES }, (_, i) => ((i * 37) % 101) / 4 - 12);
  const dy = Array.from({ length: VALUES }, (_, i) => ((i * 11) % 13) / 8 - 0.75);
  const bad = BAD_REQUESTS.filter(([, text]) => text.length < HUGE);
  const requests = [
    () => core.forwardTrain(x),
    () => core.backward(x, dy, { gamma: [2] }),
    (i) => module.compute(bad[i % bad.length][1]),
    () => core.compute({ op: 'forward_train', x: [1, 2, 3, 4] }),
  ];
  // Warm-up: every request once, then a few rounds, so the heap has reached its working size.
  for (const [, text] of bad) module.compute(text);
  for (let i = 0; i < 4 * requests.length; i++) requests[i % requests.length](i);
  const before = bytesOf(module);
  // The test has teeth only if leaking even one input tensor per large call would outgrow the heap.
  const largeCalls = CALLS / 2;
  assert.ok(largeCalls * VALUES * 8 > before,
    `leaking ${VALUES * 8} bytes per large call (${largeCalls} calls) must exceed the heap (${before} bytes)`);
  for (let i = 0; i < CALLS; i++) requests[i % requests.length](i);
  assert.equal(bytesOf(module), before, `memory grew from ${before} to ${bytesOf(module)} bytes over ${CALLS} calls`);
});

test('requests at the size limits grow the heap once while parsed, and not again on later calls', async () => {
  const { module } = await loadFacade();
  const huge = BAD_REQUESTS.filter(([, text]) => text.length >= HUGE);
  assert.ok(huge.length > 0, 'BAD_REQUESTS holds a request beyond the value limit');
  for (const [, text] of huge) module.compute(text);
  const before = bytesOf(module);
  for (let i = 0; i < 10; i++) for (const [, text] of huge) module.compute(text);
  assert.equal(bytesOf(module), before, `memory grew from ${before} to ${bytesOf(module)} bytes`);
});

test(`${CALLS} exercise-engine calls (generate, grade, re-grade an answers file) leave its WebAssembly memory the same size`, async () => {
  const module = await loadExercisesModule();
  const call = (request) => JSON.parse(module.compute(JSON.stringify(request)));
  const { exercises } = call({ op: 'exercise_catalog' });
  // A large answer (a 32,768-value list where a number is expected) is parsed in full before it is refused.
  const BIG = 32768;
  const big = Array.from({ length: BIG }, (_, i) => i % 1000);  // integers: Emscripten's strtod is slow on decimals
  const requests = [
    (i) => call({ op: 'exercise', id: exercises[i % exercises.length].id, seed: i }),
    (i) => call({ op: 'grade', id: 's1-mean-var', seed: i, answer: { mean: 1, var: 2 } }),
    (i) => call({ op: 'grade', id: 's1-mean-var', seed: i, answer: { mean: big, var: 2 } }),
    () => call({ op: 'check_answers', file: { format: 'bnkata-answers', version: 1, seed: 7, answers: { 's1-mean-var': { mean: 1, var: 2 } } } }),
  ];
  // The requests must do what they say (else the test measures error paths only).
  assert.equal(requests[0](0).id, exercises[0].id);
  assert.equal(requests[1](0).fields?.mean?.verdict, 'incorrect');
  assert.equal(requests[2](0).fields?.mean?.verdict, 'invalid');
  assert.ok(Array.isArray(requests[3](0).results));
  for (let i = 0; i < 4 * requests.length; i++) requests[i % requests.length](i);
  const before = bytesOf(module);
  assert.ok((CALLS / 4) * BIG * 8 > before, `leaking the large answer (${BIG * 8} bytes as doubles) once per call must exceed the heap (${before} bytes)`);
  for (let i = 0; i < CALLS; i++) requests[i % requests.length](i);
  assert.equal(bytesOf(module), before, `memory grew from ${before} to ${bytesOf(module)} bytes over ${CALLS} calls`);
});
