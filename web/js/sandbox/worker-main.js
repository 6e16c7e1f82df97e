// worker-main.js — the code that runs inside the sandbox Worker (the page side is runner.js).
//
// runner.js turns `workerMain` into source text (Function.prototype.toString) and starts it from a Blob
// URL, so the Worker works from file:// as well as http, and inherits the page's Content-Security-Policy:
// no network beyond the page's own files, no eval. Because of that the learner's code is not eval'd: it
// is wrapped in a function, put into a Blob of its own, and loaded with importScripts(blob: URL), which
// the page's `script-src 'self' blob:` allows.
//
// workerMain must be self-contained: it may not refer to anything outside its own body.
//
// Protocol (one run per Worker; the Worker is thrown away afterwards):
//   page → worker  { nonce, source, entry, params, returns, updates, cases }
//                  e.g. entry 'batch_norm_forward', params [x, gamma, beta, eps], returns [y, mean, var],
//                  cases [{ name, x, gamma, beta, eps }]: each case's params are the function's arguments.
//                  `updates` (optional) names the object arguments the function changes in place and the
//                  fields read back after the call: { state: ['running_mean', 'running_var'] }
//   worker → page  { nonce, type: 'loaded' }                         the code compiled, entry found
//                  { nonce, type: 'case', index, output, log }       output: { y, mean, var } | { error };
//                                                                    with updates also { state: { running_mean, running_var } }
//                  { nonce, type: 'fatal', error, log }              the code could not be loaded at all
//                  { nonce, type: 'done' }
// The nonce is random per run and is known only to this closure: whatever the learner's code posts
// itself (it can always reach DedicatedWorkerGlobalScope.prototype.postMessage) lacks it, and the
// page ignores it.
export function workerMain() {
  'use strict';
  // Everything the harness needs, captured before the learner's code can replace it.
  const post = self.postMessage.bind(self);
  const createURL = URL.createObjectURL.bind(URL);
  const revokeURL = URL.revokeObjectURL.bind(URL);
  const load = self.importScripts.bind(self);
  const BlobCtor = Blob;
  const isArray = Array.isArray;
  const isView = ArrayBuffer.isView;
  const StringFn = String;
  const ErrorCtor = Error;
  const keysOf = Object.keys;
  const MAX_LOG_LINES = 20;
  const MAX_LOG_CHARS = 2000;

  let log = [];
  let learnerURL = '';  // the blob: URL the learner's code was loaded from: stack frames there are theirs
  let uncaught = null;  // an error thrown where no try can catch it (a timer, a promise)

  // console.* of the learner's code is captured and shown next to the case it ran in.
  const capture = (level) => (...args) => {
    if (log.length >= MAX_LOG_LINES) return;
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i ? ' ' : '') + describe(args[i]);
    log.push((level === 'log' ? '' : level + ': ') + line.slice(0, MAX_LOG_CHARS));
  };
  const quietConsole = { log: capture('log'), info: capture('info'), warn: capture('warn'), error: capture('error'), debug: capture('debug') };
  try {
    Object.defineProperty(self, 'console', { value: quietConsole, writable: true, configurable: true });
  } catch (_) { /* the harness works without it */ }

  // An error nobody catches would otherwise reach the page's console as "Uncaught …"; report it instead.
  self.addEventListener('error', (event) => {
    event.preventDefault();
    uncaught = uncaught || messageOf(event.error !== undefined ? event.error : event.message, event.lineno);
  });
  self.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    uncaught = uncaught || 'an unhandled promise rejection: ' + messageOf(event.reason);
  });

  function describe(value) {
    try {
      if (typeof value === 'string') return value;
      if (isArray(value) || isView(value)) {
        let s = '[';
        for (let i = 0; i < value.length && i < 50; i++) s += (i ? ', ' : '') + describe(value[i]);
        return s + (value.length > 50 ? ', …]' : ']');
      }
      if (value && typeof value === 'object') return '{' + Object.keys(value).slice(0, 10).map((k) => k + ': ' + describe(value[k])).join(', ') + '}';
      return StringFn(value);
    } catch (_) {
      return '(unprintable value)';
    }
  }

  // The learner's source sits on line 2 of the wrapper (line 1 is the wrapper's header).
  function messageOf(error, fallbackLine) {
    try {
      if (error && typeof error === 'object') {
        const name = typeof error.name === 'string' ? error.name : 'Error';
        // Chromium prefixes errors from importScripts with where they came from; the learner needs the rest.
        const text = (typeof error.message === 'string' ? error.message : StringFn(error))
          .replace(/^Failed to execute 'importScripts' on 'WorkerGlobalScope': /, '');
        const where = lineOf(error, fallbackLine);
        return (name + ': ' + text + (where ? ' (line ' + where + ')' : '')).slice(0, MAX_LOG_CHARS);
      }
      return ('thrown value: ' + StringFn(error)).slice(0, MAX_LOG_CHARS);
    } catch (_) {
      return 'an error that cannot be printed';
    }
  }
  function lineOf(error, fallbackLine) {
    const stack = typeof error.stack === 'string' ? error.stack : '';
    const at = learnerURL ? stack.indexOf(learnerURL + ':') : -1;
    const match = at >= 0 ? /^:(\d+):\d+/.exec(stack.slice(at + learnerURL.length)) : null;
    const line = match ? Number(match[1]) : fallbackLine;
    return line && line > 1 ? line - 1 : 0;
  }

  // The function's result → { <name>: number | number[] } for each name in `returns` (e.g. y, mean, var),
  // or a sentence saying what is wrong. The function may return an array in `returns` order or an object.
  // Non-finite numbers are sent as the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
  function number(value, what) {
    if (typeof value !== 'number') throw new ErrorCtor(what + ' should be a number, got ' + (value === null ? 'null' : typeof value));
    return value === value && value !== Infinity && value !== -Infinity ? value : StringFn(value);
  }
  function toOutput(result, returns) {
    const list = returns.join(', ');
    const expected = returns.length === 1 ? returns[0] + ' (an array) or { ' + list + ' }' : '{ ' + list + ' } or [' + list + ']';
    let values;
    if (returns.length === 1 && (isArray(result) || isView(result))) {
      values = [result];  // a single result returned as itself: return y
    } else if (isArray(result)) {
      if (result.length < returns.length) throw new ErrorCtor('the function returned an array of ' + result.length + ' items; expected [' + list + ']');
      values = result;
    } else if (result && typeof result === 'object') {
      values = [];
      for (let i = 0; i < returns.length; i++) values[i] = result[returns[i]];
    } else {
      throw new ErrorCtor('the function returned ' + (result === undefined ? 'undefined' : typeof result) + '; expected ' + expected);
    }
    const output = {};
    for (let i = 0; i < returns.length; i++) {
      const name = returns[i];
      const value = values[i];
      if (isArray(value) || isView(value)) {
        if (value.length > 100000) throw new ErrorCtor(name + ' has ' + value.length + ' values; too many');
        const numbers = [];
        for (let j = 0; j < value.length; j++) numbers[j] = number(value[j], name + '[' + j + ']');
        output[name] = numbers;
      } else {
        if (value === undefined) throw new ErrorCtor('the result has no ' + name + ' (expected ' + expected + ')');
        output[name] = number(value, name);
      }
    }
    return output;
  }
  // The fields of an object argument after the call, e.g. state → { running_mean, running_var }.
  function updatedFields(object, name, fields) {
    if (!object || typeof object !== 'object') throw new ErrorCtor(name + ' is no longer an object after the call');
    let values = {};
    for (let i = 0; i < fields.length; i++) {
      values = { ...values, [fields[i]]: number(object[fields[i]], name + '.' + fields[i] + ' after the call') };
    }
    return values;
  }
  // A copy of an argument, so code that keeps or changes it cannot reach the next case: arrays, and objects
  // such as state (a spread defines the fields, so no setter the learner's code put on Object.prototype runs).
  function copyArgument(value) {
    if (isArray(value)) return value.slice();
    if (value && typeof value === 'object') return { ...value };
    return value;
  }

  self.onmessage = (event) => {
    self.onmessage = null;  // one run per Worker: later messages (from anyone) are ignored
    const request = event.data || {};
    const nonce = request.nonce;
    // Object literals only: an assignment could run a setter the learner's code put on Object.prototype.
    const send = (type, fields) => { post({ ...fields, type, nonce, log }); log = []; };

    let entry;
    try {
      const header = '"use strict";self.__bnkataLearnerCode=function(){';
      const footer = '\n;return typeof ' + request.entry + '==="function"?' + request.entry + ':undefined;};\n';
      const url = learnerURL = createURL(new BlobCtor([header + '\n' + request.source + footer], { type: 'text/javascript' }));
      try { load(url); } finally { revokeURL(url); }
      const factory = self.__bnkataLearnerCode;
      if (typeof factory !== 'function') throw new ErrorCtor(uncaught || 'the code could not be loaded (a syntax error?)');
      entry = factory();
      if (typeof entry !== 'function') throw new ErrorCtor('no function named ' + request.entry + ' was defined');
    } catch (error) {
      send('fatal', { error: uncaught || messageOf(error) });
      return;
    }
    send('loaded', {});

    const cases = request.cases || [];
    for (let index = 0; index < cases.length; index++) {
      const c = cases[index];
      let output;
      try {
        // Fresh copies per case: code that mutates its input cannot change what is graded or the next case.
        const args = [];
        for (let i = 0; i < request.params.length; i++) args[i] = copyArgument(c[request.params[i]]);
        output = toOutput(entry(...args), request.returns);
        const updates = request.updates || {};
        const updated = keysOf(updates);
        for (let u = 0; u < updated.length; u++) {
          const name = updated[u];
          let at = 0;
          while (at < request.params.length && request.params[at] !== name) at++;
          output = { ...output, [name]: updatedFields(args[at], name, updates[name]) };
        }
      } catch (error) {
        output = { error: messageOf(error) };
      }
      if (uncaught && !output.error) output = { error: uncaught };
      uncaught = null;
      send('case', { index, output });
    }
    send('done', {});
  };
}
