// field.js — a labelled text field with an optional hint and an inline error message next to it.
// The error is tied to the field (aria-describedby, aria-invalid) and announced politely when it appears.
import { el, uniqueId } from './dom.js';

// label: nodes or text for the <label>; hint: a short line under it; multiline: a <textarea>.
// Returns { element, input, setError(message), clearError() }.
export function createField({ label, hint, value = '', multiline = false, rows = 2, inputmode, name, className }) {
  const id = uniqueId(name || 'field');
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = multiline
    ? el('textarea', { id, rows, spellcheck: 'false', autocomplete: 'off' })
    : el('input', { id, type: 'text', inputmode, spellcheck: 'false', autocomplete: 'off' });
  input.value = value;
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const error = el('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' });
  const element = el('div', { class: ['field', className].filter(Boolean).join(' ') },
    el('label', { for: id }, label),
    hint ? el('p', { id: hintId, class: 'field-hint', text: hint }) : null,
    input,
    error);

  return {
    element,
    input,
    setError(message) {
      error.textContent = message;
      input.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    },
  };
}
