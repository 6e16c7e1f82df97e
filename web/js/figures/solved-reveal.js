// solved-reveal.js — the "solved-reveal" figure: text that follows an exercise once it is solved.
//
//   <div data-figure="solved-reveal" data-exercise="s3-backward-staged">
//     <p class="solved-reveal-locked">…shown until then…</p>
//     <details hidden>…typeset at build time…</details>
//   </div>
//
// The content is the page's own HTML (math typeset by the build); this module only shows it when the
// learner's progress records the exercise as correct for the page's seed, and follows later changes
// (a reload, an import, another tab).
import { progressStore } from '../exercises/progress-store.js';
import { instructorSettings } from '../exercises/instructor.js';
import { activeSeed } from '../exercises/exercise-list.js';

export function mount(root) {
  const id = root.dataset.exercise || '';
  const store = progressStore();
  const settings = instructorSettings();
  const locked = root.querySelector('.solved-reveal-locked');
  const content = root.querySelector('details');

  function show() {
    const record = store.record(activeSeed(store, settings), id);
    const solved = Boolean(record && record.verdict === 'correct');
    if (content) content.hidden = !solved;
    if (locked) locked.hidden = solved;
    root.dataset.solved = solved ? 'yes' : 'no';
  }

  show();
  const unsubscribe = store.subscribe(show);
  return { update() {}, destroy() { unsubscribe(); } };
}
