// runner.js — runs a learner's JavaScript function on test cases in a throw-away Worker, with a time limit.
//
//   const run = await runInSandbox({ source, entry: 'batch_norm_forward', params: ['x', 'gamma', 'beta', 'eps'],
//                                    returns: ['y', 'mean', 'var'], cases, timeLimitMs: 2000 });
//   run.outputs  → one per case: { y, mean, var } | { error } | { timeout: true }   (the grade request's shape)
//   With updates: { state: ['running_mean', 'running_var'] } (arguments the function changes in place), each
//   output also carries them as they were after the call: { y, state: { running_mean, running_var } }.
//   run.logs     → per case, what the code printed with console.log (strings)
//   run.fatal    → a sentence when the code could not even be loaded (syntax error, no such function)
//   run.timedOut → true when the time limit stopped it
//   run.ignored  → how many messages arrived that the harness did not send (the learner's own postMessage)
//
// Why a Worker from a Blob URL: it works from file:// and http alike, it can be terminated (an endless
// loop costs 2 s, not the tab), and it inherits the page's CSP, so the learner's code can neither eval
// nor reach other sites. A fresh Worker per run: globals the code changes die with it.
import { workerMain } from './worker-main.js';

export const DEFAULT_TIME_LIMIT_MS = 2000;

let workerURL = null;
function workerSourceURL() {
  if (!workerURL) {
    const source = `(${workerMain.toString()})();\n`;
    workerURL = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  }
  return workerURL;
}

function randomNonce() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The shapes the harness sends; anything else is the learner's own message (or a forgery) and is ignored.
function isNumberish(v) {
  return typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
}
function validOutput(output, returns, updates) {
  if (!output || typeof output !== 'object') return false;
  if (typeof output.error === 'string') return Object.keys(output).length === 1;
  const updated = Object.entries(updates);
  return Object.keys(output).length === returns.length + updated.length && returns.every((name) => {
    const value = output[name];
    return isNumberish(value) || (Array.isArray(value) && value.every(isNumberish));
  }) && updated.every(([name, fields]) => {
    const value = output[name];
    return value && typeof value === 'object' && Object.keys(value).length === fields.length &&
      fields.every((field) => isNumberish(value[field]));
  });
}
function validLog(log) {
  return Array.isArray(log) && log.length <= 20 && log.every((line) => typeof line === 'string');
}

export function runInSandbox({ source, entry, params, returns, updates = {}, cases, timeLimitMs = DEFAULT_TIME_LIMIT_MS }) {
  if (!/^[A-Za-z_$][\w$]*$/.test(entry)) throw new Error(`not a JavaScript function name: ${entry}`);
  return new Promise((resolve) => {
    const nonce = randomNonce();
    const outputs = cases.map(() => null);
    const logs = cases.map(() => []);
    let ignored = 0;
    let finished = false;
    let worker;

    const finish = (extra = {}) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (worker) worker.terminate();
      resolve({
        outputs: outputs.map((o) => o || { timeout: true }),
        logs,
        ignored,
        timedOut: false,
        fatal: null,
        ...extra,
      });
    };

    const timer = setTimeout(() => finish({ timedOut: true }), timeLimitMs);

    try {
      worker = new Worker(workerSourceURL());
    } catch (error) {
      finish({ fatal: `the code runner could not start a Worker: ${error && error.message ? error.message : error}` });
      return;
    }

    worker.onmessage = (event) => {
      const m = event.data;
      if (!m || typeof m !== 'object' || m.nonce !== nonce || !validLog(m.log)) { ignored++; return; }
      if (m.type === 'loaded') return;
      if (m.type === 'case' && Number.isInteger(m.index) && m.index >= 0 && m.index < cases.length &&
          outputs[m.index] === null && validOutput(m.output, returns, updates)) {
        outputs[m.index] = m.output;
        logs[m.index] = m.log;
        return;
      }
      if (m.type === 'fatal' && typeof m.error === 'string') {
        for (let i = 0; i < outputs.length; i++) outputs[i] = outputs[i] || { error: m.error };
        finish({ fatal: m.error, loadLog: m.log });
        return;
      }
      if (m.type === 'done') { finish(); return; }
      ignored++;
    };
    // Errors the harness could not catch itself (it catches the learner's): report, never rethrow.
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ fatal: `the code runner stopped: ${event.message || 'unknown error'}` });
    };
    worker.onmessageerror = () => { ignored++; };

    worker.postMessage({ nonce, source: String(source), entry, params, returns, updates, cases });
  });
}
