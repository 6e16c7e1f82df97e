// answer-code.js — the answer widget for `code` exercises: the learner writes a JavaScript function in an
// editor; "Check" runs it on the exercise's cases in the sandbox Worker (web/js/sandbox/) and submits what
// it returned; the core grades. The report reads like a test runner's: each case passed or failed, then
// the first failure with its input, the expected and the actual result, and the mean/variance trace of
// every stage (docs/exercises.md).
import { el, uniqueId } from '../ui/dom.js';
import { formatNumber, formatVector } from '../ui/format.js';
import { createCodeEditor } from './code-editor.js';
import { runInSandbox, DEFAULT_TIME_LIMIT_MS } from '../sandbox/runner.js';

export function createCodeWidget(exercise) {
  const fn = exercise.function || { name: 'batch_norm_forward', params: ['x', 'gamma', 'beta', 'eps'], returns: ['y', 'mean', 'var'] };
  const cases = exercise.cases || [];
  const helpId = uniqueId('code-help');
  const editorRoot = el('div', { class: 'code-editor-root' });
  const report = el('div', { class: 'code-report' });
  const help = el('p', { class: 'answer-help', id: helpId },
    `Write ${fn.name}(${fn.params.join(', ')}) ${contract(fn)}. ` +
    `Check runs it on ${cases.length} test batches (time limit ${DEFAULT_TIME_LIMIT_MS / 1000} s). ` +
    'Tab moves on to the next control; indent with Ctrl-] and Ctrl-[ (⌘ on a Mac).');
  const element = el('div', { class: 'answer-code' },
    el('p', { class: 'answer-label', id: `${helpId}-label` }, `Your ${fn.name}`), help, editorRoot);

  let inputListener = null;
  const editor = createCodeEditor(editorRoot, {
    doc: exercise.starter || '',
    label: `Code editor: your ${fn.name}`,
    describedBy: helpId,
    onChange: () => inputListener && inputListener(),
  });
  let lastRun = null;  // logs and notes of the last run, shown with the grade

  return {
    element,
    after: report,  // the test report goes below the verdict, not inside the form
    editor,
    source: () => editor.getValue(),
    // Running is part of reading the answer: the grade request carries the outputs, not the code.
    async read() {
      report.replaceChildren(el('p', { class: 'code-running', role: 'status' }, `Running your code on ${cases.length} test batches…`));
      const run = await runInSandbox({ source: editor.getValue(), entry: fn.name, params: fn.params, returns: fn.returns, updates: fn.updates, cases });
      lastRun = run;
      return { outputs: run.outputs };
    },
    write(answer, record) {
      if (record && typeof record.source === 'string') editor.setValue(record.source);
    },
    onInput(listener) { inputListener = listener; },
    setDisabled(disabled) { editor.setDisabled(disabled); },
    showResult(grade) { report.replaceChildren(...renderReport(grade, cases, lastRun, fn)); },
    focus() { editor.focus(); },
  };
}

// What the function gives back: "returning { y, mean, var } or [y, mean, var]", or for one result that
// also changes an argument in place, "returning y and updating state.running_mean, state.running_var in place".
function contract(fn) {
  const list = fn.returns.join(', ');
  const returning = fn.returns.length === 1 ? `returning ${list}` : `returning { ${list} } or [${list}]`;
  const updated = Object.entries(fn.updates || {}).flatMap(([name, fields]) => fields.map((f) => `${name}.${f}`));
  return updated.length ? `${returning} and updating ${updated.join(', ')} in place` : returning;
}

function renderReport(grade, cases, run, fn) {
  if (!grade) return [];
  const parts = [];
  if (run && run.fatal) parts.push(el('p', { class: 'code-fatal' }, `Your code could not run: ${run.fatal}`));
  else if (run && run.timedOut) {
    parts.push(el('p', { class: 'code-fatal' },
      `Your code did not finish within ${DEFAULT_TIME_LIMIT_MS / 1000} s and was stopped (an endless loop?). Cases it did not finish count as failed.`));
  }
  if (run && run.ignored > 0) {
    parts.push(el('p', { class: 'code-note' },
      `${run.ignored} message${run.ignored === 1 ? '' : 's'} your code posted ${run.ignored === 1 ? 'itself was' : 'themselves were'} ignored: only the runner reports results.`));
  }
  if (Array.isArray(grade.cases) && grade.cases.length) {
    parts.push(el('ul', { class: 'code-cases', 'aria-label': 'Test batches' }, grade.cases.map((c, i) =>
      el('li', { class: c.passed ? 'is-passed' : 'is-failed' },
        `${c.passed ? '✓ passed' : '✗ failed'}: ${c.name}`,
        typeof c.relative_error === 'number' ? ` (relative error ${formatNumber(c.relative_error)})` : '',
        typeof c.gradient_check === 'number' ? ` (gradient check ${formatNumber(c.gradient_check)})` : '',
        logLines(run && run.logs ? run.logs[i] : null)))));
  }
  const failure = grade.first_failure;
  if (failure) {
    const block = el('div', { class: 'code-failure' },
      el('p', { class: 'code-failure-title' }, `First failure: ${failure.case}`),
      failure.message ? el('p', {}, failure.message) : null,
      el('dl', { class: 'code-failure-values' },
        el('dt', {}, 'Input'), el('dd', {}, describeCase(failure.input, fn)),
        el('dt', {}, 'Expected'), el('dd', {}, describeResult(failure.expected)),
        el('dt', {}, 'Got'), el('dd', {}, describeResult(failure.got))));
    if (Array.isArray(failure.trace) && failure.trace.length) block.appendChild(traceTable(failure.trace, failure.trace_caption));
    parts.push(block);
  }
  return parts;
}

function logLines(lines) {
  if (!Array.isArray(lines) || !lines.length) return null;
  return el('pre', { class: 'code-log', 'aria-label': 'What your code printed' }, lines.join('\n'));
}

function describeValue(value) {
  if (Array.isArray(value)) return formatVector(value);
  if (typeof value === 'number') return formatNumber(value);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${describeValue(v)}`).join(', ')} }`;
  if (typeof value === 'string' && !/^(-?Infinity|NaN)$/.test(value)) return `'${value}'`;
  return String(value);
}

function describeCase(input, fn) {
  if (!input || typeof input !== 'object') return '—';
  const names = fn.params.filter((p) => p in input);
  return names.map((p) => `${p} = ${describeValue(input[p])}`).join(', ');
}

function describeResult(result) {
  if (!result || typeof result !== 'object') return '—';
  if (result.timeout) return 'no result: the time limit stopped the code';
  if (typeof result.error === 'string') return `an error: ${result.error}`;
  return Object.entries(result).map(([k, v]) => `${k} = ${describeValue(v)}`).join(', ');
}

function traceTable(trace, caption) {
  const cell = (v) => el('td', {}, typeof v === 'number' ? formatNumber(v) : '—');
  return el('table', { class: 'code-trace' },
    el('caption', {}, typeof caption === 'string' ? caption : 'Mean and variance after each stage: the reference and yours'),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Stage'), el('th', { scope: 'col' }, 'mean'), el('th', { scope: 'col' }, 'var'),
      el('th', { scope: 'col' }, 'your mean'), el('th', { scope: 'col' }, 'your var'))),
    el('tbody', {}, trace.map((row) => el('tr', {},
      el('th', { scope: 'row' }, String(row.stage)), cell(row.mean), cell(row.var), cell(row.got_mean), cell(row.got_var)))));
}
