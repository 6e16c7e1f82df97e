// answer-choice.js — the answer widget for `choice` (one option), `multi` (every option that applies)
// and `predict` (one option, chosen before the lab's run) exercises.
//
// Options come without their correctness, in an order the core draws from (exercise id, seed) and
// lettered in that order (docs/exercises.md). After grading, the core explains the options the learner
// picked — all of them once the answer is right — and each explanation is shown under its option.
import { el, uniqueId } from '../ui/dom.js';

export function createChoiceWidget(exercise) {
  const multiple = exercise.kind === 'multi';
  const answerKey = exercise.kind === 'multi' ? 'choices' : exercise.kind === 'predict' ? 'prediction' : 'choice';
  const groupName = uniqueId('options');
  const rows = (exercise.options || []).map((option) => {
    const id = uniqueId('option');
    const input = el('input', { type: multiple ? 'checkbox' : 'radio', name: groupName, id, value: option.id });
    const explanation = el('p', { class: 'option-explanation', id: `${id}-why` });
    const element = el('li', { class: 'answer-option' },
      input, el('label', { for: id }, option.text), explanation);
    input.setAttribute('aria-describedby', `${id}-why`);
    return { option, input, explanation, element };
  });
  const legend = multiple ? 'Choose every option that applies' : exercise.kind === 'predict' ? 'Your prediction' : 'Choose one option';
  const element = el('fieldset', { class: 'answer-options' },
    el('legend', { class: 'answer-label' }, legend),
    el('ul', { role: 'list' }, rows.map((r) => r.element)));

  return {
    element,
    read() {
      const chosen = rows.filter((r) => r.input.checked).map((r) => r.option.id);
      if (multiple) return { choices: chosen };
      return { [answerKey]: chosen.length ? chosen[0] : '' };
    },
    write(answer) {
      if (!answer || typeof answer !== 'object') return;
      const value = answer[answerKey];
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const r of rows) r.input.checked = chosen.has(r.option.id);
    },
    onInput(listener) {
      for (const r of rows) r.input.addEventListener('change', listener);
    },
    setDisabled(disabled) {
      for (const r of rows) r.input.disabled = disabled;
    },
    showResult(grade) {
      const explanations = (grade && grade.options) || {};
      for (const r of rows) {
        const text = explanations[r.option.id];
        r.explanation.textContent = typeof text === 'string' ? text : '';
        r.element.classList.toggle('is-explained', typeof text === 'string' && text !== '');
      }
    },
    focus() { (rows.find((r) => r.input.checked) || rows[0])?.input.focus(); },
  };
}
