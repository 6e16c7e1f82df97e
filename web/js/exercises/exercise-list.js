// exercise-list.js — the "exercises" figure: the exercises of one kata step, in lesson order.
//
//   <div data-figure="exercises" data-step="2"></div>
//   <div data-figure="exercises" data-step="4" data-ids="s4-fold"></div>
//
// With data-ids the list shows only those exercises, where the lesson wants them asked (before the text
// that answers them); the step's plain list then leaves them out. Numbers follow the catalog's order, so
// an exercise has the same number wherever it is shown. Each card says whether it is on the core path
// (about an hour for the whole lesson) or optional.
//
// It loads the exercise engine (ctx.exerciseEngine(): dist/bnkata-exercises.js, on demand), asks it for
// the catalog, generates each of the step's exercises from (id, seed) and mounts a card per exercise
// (exercise-card.js). Until the engine is there the list says it is loading, and the handle's `ready`
// promise (main.js) settles when the cards are up. The seed is the instructor's ?seed= if given, else the learner's
// own (kept with their progress). A step locked with ?lock= is shown but cannot be answered.
import { el } from '../ui/dom.js';
import { createExerciseCard } from './exercise-card.js';
import { progressStore } from './progress-store.js';
import { instructorSettings } from './instructor.js';
import { listenForRuns } from './run-summary.js';

// The seed every exercise on the page is generated from.
export function activeSeed(store = progressStore(), settings = instructorSettings()) {
  return settings.seed !== null ? settings.seed : store.learnerSeed;
}

// The ids in a list's data-ids, or null for a whole step's list.
function idsOf(root) {
  const text = (root.dataset.ids || '').trim();
  return text ? new Set(text.split(/[\s,]+/)) : null;
}

// The step's exercises that another list on the page shows (data-ids).
function idsShownElsewhere(root, step) {
  const ids = new Set();
  for (const other of document.querySelectorAll(`[data-figure="exercises"][data-step="${step}"][data-ids]`)) {
    if (other !== root) for (const id of idsOf(other)) ids.add(id);
  }
  return ids;
}

export function mount(root, ctx) {
  const step = Number(root.dataset.step);
  const only = idsOf(root);
  const store = progressStore();
  const settings = instructorSettings();
  listenForRuns();
  if (!Number.isInteger(step) || step < 1 || step > 5) {
    throw new Error(`data-step should be a step number from 1 to 5, got "${root.dataset.step || ''}"`);
  }

  const summary = el('p', { class: 'exercise-list-summary' });
  const notice = el('p', { class: 'exercise-list-notice', hidden: true });
  const list = el('div', { class: 'exercise-list-items' }, el('p', { class: 'exercise-list-loading' }, 'Loading the exercises…'));
  const heading = el('h3', { class: 'exercise-list-title' }, only ? `Before you read on: step ${step}` : `Check yourself: step ${step}`);
  const section = el('section', { class: 'exercise-list', 'aria-label': only ? `Exercise for step ${step}, before the text that answers it` : `Exercises for step ${step}` },
    heading, summary, notice, list);
  root.replaceChildren(section);

  let cards = [];
  let exercises = [];
  let engine = null;  // the exercises' façade (core.js), once loaded
  let destroyed = false;

  function build() {
    for (const card of cards) card.destroy();
    cards = [];
    const seed = activeSeed(store, settings);
    const catalog = engine.compute({ op: 'exercise_catalog' });
    if (!catalog || catalog.error || !Array.isArray(catalog.exercises)) {
      throw new Error(`the core has no exercise catalog (${catalog && catalog.error ? catalog.error.message : 'no answer'})`);
    }
    const ofStep = catalog.exercises.filter((e) => e.step === step);
    const elsewhere = only ? new Set() : idsShownElsewhere(root, step);
    const entries = ofStep.filter((e) => (only ? only.has(e.id) : !elsewhere.has(e.id)));
    exercises = entries.map((entry) => engine.compute({ op: 'exercise', id: entry.id, seed }));
    const nodes = [];
    exercises.forEach((exercise, index) => {
      const number = `${step}.${ofStep.indexOf(entries[index]) + 1}`;
      if (!exercise || exercise.error) {
        nodes.push(el('p', { class: 'figure-error', role: 'alert' },
          `Exercise ${number} (${entries[index].id}) could not be generated: ${exercise && exercise.error ? exercise.error.message : 'no answer from the core'}`));
        return;
      }
      const card = createExerciseCard(exercise, {
        core: engine, store, seed, number,
        locked: settings.lockedSteps.has(step), hideSolutions: settings.hideSolutions, headingLevel: 4,
      });
      cards.push(card);
      nodes.push(card.element);
    });
    list.replaceChildren(...nodes);
    showSummary();
  }

  function showSummary() {
    const seed = activeSeed(store, settings);
    const records = store.answersFor(seed);
    const valid = exercises.filter((e) => e && !e.error);
    const correct = valid.filter((e) => records[e.id] && records[e.id].verdict === 'correct').length;
    const core = valid.filter((e) => e.core);
    const coreCorrect = core.filter((e) => records[e.id] && records[e.id].verdict === 'correct').length;
    summary.textContent = `${correct} of ${valid.length} correct` +
      (core.length && core.length < valid.length ? ` (core path: ${coreCorrect} of ${core.length}; the others are optional)` : '') +
      (settings.lockedSteps.has(step) ? ' · locked by your instructor' : '');
    const problems = store.notices.length + settings.notices.length;
    notice.hidden = problems === 0;
    notice.replaceChildren(problems ? el('span', {}, 'There is a note about your saved progress ', el('a', { href: '#exercise-progress' }, 'at the top of the page'), '.') : '');
  }

  let unsubscribe = () => {};
  const ready = ctx.exerciseEngine().then((loaded) => {
    if (destroyed) return;
    engine = loaded;
    build();
    unsubscribe = store.subscribe((change) => {
      // An import may change the learner's seed: regenerate the exercises then.
      if (change.type === 'import' && activeSeed(store, settings) !== (exercises[0] && exercises[0].seed)) build();
      else showSummary();
    });
  });

  return {
    ready,
    update() {},
    destroy() { destroyed = true; unsubscribe(); for (const card of cards) card.destroy(); },
  };
}
