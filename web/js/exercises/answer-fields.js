// answer-fields.js — the answer widget for exercises answered by typing into named fields:
// numbers (`numeric`), lists of numbers (`vector`), formulas (`formula`) and NumPy output (`paste`).
//
// The page does not parse what is typed: the core does (docs/exercises.md accepts "5/4", "1e-5",
// "[1, 2, 3]", "(x − μ)/√(σ² + ε)"), so the page and `bnkata check` agree on every answer. The widget
// sends the text as typed and shows what the core says about each field, including where a formula
// stopped parsing.
import { el, uniqueId } from '../ui/dom.js';

const PLACEHOLDER = {
  number: 'e.g. 2.5 or 5/4',
  vector: 'e.g. 1, 2, 3',
  formula: 'e.g. (x − mu)/sqrt(var + eps)',
  text: '',
};

const HELP = {
  number: 'A number or a constant expression (5/4, sqrt(2), 1e-5).',
  vector: 'Numbers separated by commas or spaces; brackets optional.',
  formula: 'Use + − * / ^, sqrt( ), parentheses and x, mu, var, eps, gamma, beta, m (or μ σ² ε γ β).',
  text: 'Paste everything the script printed.',
};

// Error context around a formula's parse position: at most CONTEXT characters either side, so a 10,000
// character answer still shows one readable line.
const CONTEXT = 24;

export function createFieldsWidget(exercise) {
  const fields = exercise.fields && exercise.fields.length
    ? exercise.fields
    : [{ name: 'numpy_output', label: 'What NumPy printed', type: 'text' }];
  const rows = fields.map((field) => createField(field));
  const element = el('div', { class: 'answer-fields' }, rows.map((r) => r.element));

  return {
    element,
    read() {
      const answer = {};
      for (const row of rows) answer[row.field.name] = row.input.value;
      return answer;
    },
    write(answer) {
      if (!answer || typeof answer !== 'object') return;
      for (const row of rows) {
        const value = answer[row.field.name];
        if (value === undefined || value === null) continue;
        row.input.value = Array.isArray(value) ? value.join(', ') : String(value);
      }
    },
    onInput(listener) {
      for (const row of rows) row.input.addEventListener('input', listener);
    },
    setDisabled(disabled) {
      for (const row of rows) row.input.disabled = disabled;
    },
    showResult(grade) {
      for (const row of rows) row.show(grade && grade.fields ? grade.fields[row.field.name] : null, grade);
    },
    focus() { rows[0].input.focus(); },
  };
}

function createField(field) {
  const id = uniqueId('field');
  const helpId = `${id}-help`;
  const resultId = `${id}-result`;
  const type = PLACEHOLDER[field.type] !== undefined ? field.type : 'number';
  const common = {
    id,
    name: field.name,
    'aria-describedby': `${helpId} ${resultId}`,
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    class: `answer-input answer-input--${type}`,
  };
  const input = type === 'text'
    ? el('textarea', { ...common, rows: 4 })
    : el('input', { ...common, type: 'text', inputmode: type === 'number' ? 'decimal' : null, placeholder: PLACEHOLDER[type] || null });
  const lengthNote = type === 'vector' && field.length ? ` ${field.length} values.` : '';
  const help = el('p', { class: 'answer-help', id: helpId }, HELP[type] + lengthNote);
  const result = el('div', { class: 'field-result', id: resultId });
  const element = el('div', { class: `answer-field answer-field--${type}` },
    el('label', { for: id, class: 'answer-label' }, field.label || field.name),
    input, help, result);

  function show(fieldGrade, grade) {
    result.replaceChildren();
    element.classList.remove('is-correct', 'is-incorrect', 'is-invalid');
    input.removeAttribute('aria-invalid');
    if (!fieldGrade) return;
    const verdict = fieldGrade.verdict;
    if (verdict === 'correct' || verdict === 'incorrect' || verdict === 'invalid') element.classList.add(`is-${verdict}`);
    if (verdict === 'incorrect' || verdict === 'invalid') input.setAttribute('aria-invalid', 'true');
    const mark = { correct: '✓ ', incorrect: '✗ ', invalid: '⚠ ' }[verdict] || '';
    // A field's message that repeats the whole verdict (a one-field exercise) is not shown twice.
    if (fieldGrade.message && !(grade && grade.message === fieldGrade.message)) {
      result.appendChild(el('p', { class: 'field-message' }, mark + fieldGrade.message));
    }
    const position = Number.isInteger(fieldGrade.position) ? fieldGrade.position
      : (grade && Number.isInteger(grade.position) && grade.field === field.name ? grade.position : null);
    if (position !== null) {
      result.appendChild(errorPointer(input.value, position));
      // A learner who pressed Enter in the field finds the caret where the problem is.
      if (document.activeElement === input) {
        const offset = Array.from(input.value).slice(0, position - 1).join('').length;
        input.setSelectionRange(offset, Math.min(input.value.length, offset + 1));
      }
    }
  }

  return { field, input, element, show };
}

// The typed text around a 1-based character position, with a caret under it:
//   (x − mu)/sqrt(var + $eps)
//                        ^
//   character 21
export function errorPointer(text, position) {
  const chars = Array.from(text);  // code points: the core counts characters, not UTF-16 units
  const index = Math.max(0, Math.min(chars.length, position - 1));
  const start = Math.max(0, index - CONTEXT);
  const end = Math.min(chars.length, index + CONTEXT + 1);
  const before = (start > 0 ? '…' : '') + chars.slice(start, index).join('');
  const line = before + chars.slice(index, end).join('') + (end < chars.length ? '…' : '');
  const caret = ' '.repeat(Array.from(before).length) + '^';
  return el('pre', { class: 'formula-pointer', 'aria-label': `The problem is at character ${position}` },
    `${line}\n${caret}\ncharacter ${position}`);
}
