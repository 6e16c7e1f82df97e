// core.js — the façade over the WASM modules (cpp/wasm.cmake):
//   dist/bnkata-core.js       the Batch Normalization ops; every first visit loads it (loadCore)
//   dist/bnkata-exercises.js  every op, exactly `bnkata compute`; loaded when the first exercise comes
//                             near (loadExerciseEngine)
//
// The page never touches a raw Embind module; it calls these functions:
//   compute(request) → response          exactly the `bnkata compute` JSON contract, as objects: the same
//                                        request gives the same answer as the CLI, errors included
//                                        ({ error: { field, message } } is returned, not thrown)
//   forwardTrain(x, options) → { y, batchMean, batchVar, warning? }
//   forwardEval(x, options)  → { y }
//   backward(x, dy, options) → { dx, dgamma, dbeta }
//   updateRunning(x, options) → { runningMean, runningVar, batchMean, batchVar }
// The idiomatic helpers take a flat array or typed array of values plus `shape` ([m] by default, or
// [N, C] or [N, C, H, W], row-major), return Float64Arrays in the same flat layout, and throw a CoreError
// (a real Error with .field) when the core answers with an error value.
//
// In the browser: `const core = await loadCore()` (dist/bnkata-core.js must have been loaded by a classic
// <script> first; it defines globalThis.createBnKata).
// In Node (an ES module, e.g. example.mjs in the project root):
//   import { createRequire } from 'node:module';
//   import { loadCore } from './web/js/core.js';
//   const createBnKata = createRequire(import.meta.url)('./build/wasm/bnkata-core.js');
//   const core = await loadCore({ factory: createBnKata });
//   core.compute({ op: 'forward_train', x: [1, 2, 3, 4] });  // → { batch_mean: [2.5], batch_var: [1.25], y: [...] }
// or, without the façade, JSON strings in and out: (await createBnKata()).compute('{"op":"forward_train","x":[1,2,3,4]}').

// An error value from the core, as a JS Error: .field names the request field at fault ("" when the
// request as a whole is), .message says what was expected.
export class CoreError extends Error {
  constructor(field, message) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'CoreError';
    this.field = field;
    this.detail = message;
  }
}

// Resolves to the façade once the WASM module has been instantiated. `factory` defaults to the global
// createBnKata that dist/bnkata-core.js defines.
export async function loadCore({ factory = globalThis.createBnKata } = {}) {
  if (typeof factory !== 'function') {
    throw new Error('the BatchNorm core (bnkata-core.js) is not loaded: createBnKata is missing');
  }
  return wrap(await factory());
}

// Resolves to the same façade over the exercises' module, which answers every op of the contract (the
// exercises' and the Batch Normalization ops) exactly as `bnkata compute` does. `factory` defaults to
// the global createBnKataExercises that dist/bnkata-exercises.js defines.
export async function loadExerciseEngine({ factory = globalThis.createBnKataExercises } = {}) {
  if (typeof factory !== 'function') {
    throw new Error('the exercise engine (bnkata-exercises.js) is not loaded: createBnKataExercises is missing');
  }
  return wrap(await factory());
}

// Builds the façade around an instantiated module (exported for tests that instantiate it themselves).
export function wrap(module) {
  // Typed arrays serialise as objects in JSON.stringify; the core expects arrays.
  const replacer = (_key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value);

  // The core never throws (errors are values); if the module itself traps (a bug, or out of memory), it
  // cannot be used again: say so on this and every later call rather than return wrong answers.
  let stopped = null;
  function compute(request) {
    if (stopped) throw stopped;
    let text;
    try {
      text = module.compute(JSON.stringify(request, replacer));
    } catch (trap) {
      stopped = new Error(`the BatchNorm core stopped and must be reloaded: ${trap && trap.message ? trap.message : trap}`);
      throw stopped;
    }
    return JSON.parse(text);
  }

  // Runs one op and throws the core's error value as a CoreError.
  function call(request) {
    const response = compute(request);
    if (response && response.error) throw new CoreError(response.error.field ?? '', response.error.message ?? String(response.error));
    return response;
  }

  function forwardTrain(x, { shape, gamma, beta, eps } = {}) {
    const r = call({ op: 'forward_train', x: nest(x, shape), gamma, beta, eps });
    const out = { y: flat(r.y), batchMean: flat(r.batch_mean), batchVar: flat(r.batch_var) };
    if (r.warning) out.warning = r.warning;
    return out;
  }

  function forwardEval(x, { shape, gamma, beta, runningMean, runningVar, eps } = {}) {
    const r = call({ op: 'forward_eval', x: nest(x, shape), gamma, beta, running_mean: runningMean, running_var: runningVar, eps });
    return { y: flat(r.y) };
  }

  function backward(x, dy, { shape, gamma, beta, eps } = {}) {
    const r = call({ op: 'backward', x: nest(x, shape), dy: nest(dy, shape, 'dy'), gamma, beta, eps });
    return { dx: flat(r.dx), dgamma: flat(r.dgamma), dbeta: flat(r.dbeta) };
  }

  function updateRunning(x, { shape, runningMean, runningVar, momentum, convention } = {}) {
    const r = call({ op: 'update_running', x: nest(x, shape), running_mean: runningMean, running_var: runningVar, momentum, convention });
    return { runningMean: flat(r.running_mean), runningVar: flat(r.running_var), batchMean: flat(r.batch_mean), batchVar: flat(r.batch_var) };
  }

  return { compute, forwardTrain, forwardEval, backward, updateRunning };
}

// A flat list of values in row-major order → the nested arrays the JSON contract takes for `shape`.
// Without a shape the values are a 1-D batch [m]. Anything that is not a list is passed through, so the
// core (not the façade) names what is wrong with it.
function nest(values, shape, field = 'x') {
  if (!isList(values)) return values;
  const list = Array.from(values);
  if (!shape) return list;
  const total = shape.reduce((a, b) => a * b, 1);
  if (total !== list.length) throw new CoreError(field, `expected ${total} values for shape [${shape.join(', ')}], got ${list.length}`);
  const build = (offset, dims) => {
    if (dims.length === 1) return list.slice(offset, offset + dims[0]);
    const stride = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => build(offset + i * stride, dims.slice(1)));
  };
  return build(0, shape);
}

function flat(nested) {
  return Float64Array.from(Array.isArray(nested) ? nested.flat(Infinity) : [nested]);
}

function isList(value) {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}
