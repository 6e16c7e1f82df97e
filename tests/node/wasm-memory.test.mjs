// Calling the bindings many times does not grow WebAssembly memory: every call frees what it allocated
// (the request and response strings Embind copies, the core's tensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFacade } from './lib/wasm-core.mjs';
import { BAD_REQUESTS } from './lib/requests.mjs';

const CALLS = 1000;
const VALUES = 4608;  // per large request: 36 KiB as doubles

test(`${CALLS} compute calls (good and bad requests) leave the WebAssembly memory the same size`, async () => {
  const { core, module } = await loadFacade();
  // Short decimals: Emscripten's strtod is slow on 17-digit ones, and this test is about memory, not speed.
  const x = Array.from({ length: VALUES }, (_, i) => ((i * 37) % 101) / 4 - 12);
  const dy = Array.from({ length: VALUES }, (_, i) => ((i * 11) % 13) / 8 - 0.75);
  const requests = [
    () => core.forwardTrain(x),
    () => core.backward(x, dy, { gamma: [2] }),
    (i) => module.compute(BAD_REQUESTS[i % BAD_REQUESTS.length][1]),
    () => core.compute({ op: 'forward_train', x: [1, 2, 3, 4] }),
  ];
  const bytes = () => module.HEAP8.buffer.byteLength;

  // Warm-up: every request once at least (the 32 MiB-limit probe in BAD_REQUESTS is 2 MiB of text), so
  // the heap reaches its working size before we measure.
  for (let i = 0; i < 2 * BAD_REQUESTS.length; i++) requests[i % requests.length](i);
  const before = bytes();
  // The test has teeth only if leaking even one input tensor per large call would outgrow the heap.
  const largeCalls = CALLS / 2;
  assert.ok(largeCalls * VALUES * 8 > before,
    `leaking ${VALUES * 8} bytes per large call (${largeCalls} calls) must exceed the heap (${before} bytes)`);
  for (let i = 0; i < CALLS; i++) requests[i % requests.length](i);
  assert.equal(bytes(), before, `memory grew from ${before} to ${bytes()} bytes over ${CALLS} calls`);
});
