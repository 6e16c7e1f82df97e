// verdict.js — how a grade from the core is shown: the verdict, the core's sentence, the tolerance the
// answer was judged at, and for a wrong answer the named mistake with its explanation.
import { el } from '../ui/dom.js';

export const VERDICT_LABEL = {
  correct: '✓ Correct',
  incorrect: '✗ Not correct',
  not_attempted: 'Not attempted yet',
  invalid: '⚠ Cannot be checked',
};

// The tolerance sentence: the grade's, else the exercise's, else "exact" for answers that are chosen.
export function toleranceText(grade, exercise) {
  if (grade && typeof grade.tolerance === 'string' && grade.tolerance) return grade.tolerance;
  if (grade && grade.tolerance && typeof grade.tolerance.text === 'string') return grade.tolerance.text;
  if (exercise && exercise.tolerance && typeof exercise.tolerance.text === 'string') return exercise.tolerance.text;
  return 'exact match';
}

// Fills `root` (a live region) with the grade. `note` adds a sentence (e.g. "solution revealed").
export function renderVerdict(root, grade, exercise) {
  root.replaceChildren();
  root.className = 'verdict';
  if (!grade) return;
  const verdict = VERDICT_LABEL[grade.verdict] ? grade.verdict : 'invalid';
  root.classList.add(`verdict--${verdict}`);
  const mistake = grade.mistake && typeof grade.mistake === 'object' ? grade.mistake : null;
  // The core's sentence often names the mistake itself; then the mistake paragraph below says it once.
  const message = typeof grade.message === 'string' && !(mistake && mistake.name && grade.message.includes(mistake.name))
    ? grade.message : '';
  root.appendChild(el('p', { class: 'verdict-head' },
    el('strong', {}, VERDICT_LABEL[verdict]),
    message ? ` — ${message}` : ''));
  if (mistake) {
    root.appendChild(el('p', { class: 'verdict-mistake' },
      'Mistake: ', el('strong', {}, String(mistake.name || mistake.id)),
      mistake.explanation ? ` — ${mistake.explanation}` : ''));
  }
  if (verdict !== 'not_attempted') {
    root.appendChild(el('p', { class: 'verdict-tolerance' }, `Tolerance: ${toleranceText(grade, exercise)}`));
  }
}
