// exercise-list.js — the "exercises" figure: the exercises of one kata step, in lesson order.
//
//   <div data-figure="exercises" data-step="2"></div>
//
// It loads the exercise engine (ctx.exerciseEngine(): dist/bnkata-exercises.js, on demand), asks it for
// the catalog, generates each of the step's exercises from (id, seed) and mounts a card per exercise
// (exercise-card.js). Until the engine is there the list says it is loading, and the handle's `ready`
// promise (main.js) settles when the cards are up. The seed is the instructor's ?seed= if given, else the learner's
// own (kept with their progress). A step locked with ?lock= is shown but cannot be answered.
import { el as h } from '../ui/dom.js';
import { createExerciseCard } from './exercise-card.js';
import { progressStore } from './progress-store.js';
import { instructorSettings } from './instructor.js';
import { listenForRuns } from './run-summary.js';

// The seed every exercise on the page is generated from.
export function activeSeed(store = progressStore(), settings = instructorSettings()) {
  return settings.seed !== null ? settings.seed : store.learnerSeed;
}

export function mount(root, ctx) {
  const step = Number(root.dataset.step);
  const store = progressStore();
  const settings = instructorSettings();
  listenForRuns();
  if (!Number.isInteger(step) || step < 1 || step > 5) {
    throw new Error(`data-step should be a step number from 1 to 5, got "${root.dataset.step || ''}"`);
  }

  const summary = h('p', { class: 'exercise-list-summary' });
  const notice = h('p', { class: 'exercise-list-notice', hidden: true });
  const list = h('div', { class: 'exercise-list-items' }, h('p', { class: 'exercise-list-loading' }, 'Loading the exercises…'));
  const heading = h('h3', { class: 'exercise-list-title' }, `Check yourself: step ${step}`);
  const section = h('section', { class: 'exercise-list', 'aria-label': `Exercises for step ${step}` }, heading, summary, notice, list);
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
    const entries = catalog.exercises.filter((e) => e.step === step);
    exercises = entries.map((entry) => engine.compute({ op: 'exercise', id: entry.id, seed }));
    const nodes = [];
    exercises.forEach((exercise, index) => {
      const number = `${step}.${index + 1}`;
      if (!exercise || exercise.error) {
        nodes.push(h('p', { class: 'figure-error', role: 'alert' },
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
    summary.textContent = `${correct} of ${valid.length} correct` +
      (settings.lockedSteps.has(step) ? ' · locked by your instructor' : '');
    const problems = store.notices.length + settings.notices.length;
    notice.hidden = problems === 0;
    notice.replaceChildren(problems ? h('span', {}, 'There is a note about your saved progress ', h('a', { href: '#exercise-progress' }, 'at the top of the page'), '.') : '');
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
