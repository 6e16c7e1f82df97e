// progress-panel.js — the "exercise-progress" figure: how far the learner is, whose numbers these are
// (seed), Export / Import of the answers file, and every notice about stored progress or the link's
// instructor parameters.
//
// It sits at the top of the page, so it must not need the exercises' WASM module (loaded only when the
// first exercise comes near): the catalog it counts is the engine's own answer to exercise_catalog,
// computed when the site is built (scripts/build-site.mjs, the virtual module below). Import, which
// re-grades a file, loads the engine when the learner picks one.
//
//   <div data-figure="exercise-progress" id="exercise-progress"></div>
import { el, uniqueId } from '../ui/dom.js';
import { progressStore } from './progress-store.js';
import { instructorSettings } from './instructor.js';
import { activeSeed } from './exercise-list.js';
import { buildAnswersFile, downloadJson, readAnswersFile } from './answers-file.js';
import { listenForRuns } from './run-summary.js';
import { buildNotebook } from './notebook.js';
import { offerDownload } from '../ui/download.js';
import builtCatalog from 'bnkata:exercise-catalog';

export function mount(root, ctx) {
  const store = progressStore();
  const settings = instructorSettings();
  listenForRuns();
  if (!root.id) root.id = 'exercise-progress';

  const coreCount = el('p', { class: 'progress-count progress-count--core' });
  const count = el('p', { class: 'progress-count' });
  const seedLine = el('p', { class: 'progress-seed' });
  const notices = el('div', { class: 'progress-notices' });
  const importStatus = el('div', { class: 'progress-import-status', role: 'status', 'aria-live': 'polite' });
  const exportButton = el('button', { type: 'button', class: 'button' }, 'Export answers');
  const notebookButton = el('button', { type: 'button', class: 'button' }, 'Download as a notebook');
  const fileId = uniqueId('import');
  const fileInput = el('input', { type: 'file', id: fileId, accept: '.json,application/json', class: 'visually-hidden-file' });
  const importLabel = el('label', { for: fileId, class: 'button' }, 'Import answers…');
  const section = el('section', { class: 'progress-panel', 'aria-label': 'Your progress' },
    el('h2', { class: 'progress-title' }, 'Your progress'),
    coreCount, count, seedLine, notices,
    el('div', { class: 'progress-actions' }, exportButton, fileInput, importLabel, notebookButton),
    el('p', { class: 'progress-help' },
      'Progress is kept in this browser. Export saves your answers as a JSON file (re-grade it with “bnkata check answers.json”); Import brings such a file back.'),
    importStatus);
  root.replaceChildren(section);

  function show() {
    const seed = activeSeed(store, settings);
    const records = store.answersFor(seed);
    const all = builtCatalog.exercises;
    const isCorrect = (e) => records[e.id] && records[e.id].verdict === 'correct';
    // Answered means gradable: an answer that could not be checked is neither an attempt nor "answered".
    const answered = (e) => records[e.id] && (records[e.id].verdict === 'correct' || records[e.id].verdict === 'incorrect');
    const core = all.filter((e) => e.core);
    coreCount.textContent = `Core path (about an hour with the reading): ${core.filter(isCorrect).length} of ${core.length} correct.`;
    count.textContent = `All exercises: ${all.filter(isCorrect).length} of ${all.length} correct, ${all.filter(answered).length} answered; the ones not on the core path are optional.`;
    seedLine.textContent = settings.seed !== null
      ? `Your numbers come from seed ${seed}, set by this link.`
      : `Your numbers come from your own seed, ${seed}.`;
    const lines = [
      ...store.notices.map((n) => n.text),
      ...settings.notices,
      settings.hideSolutions ? 'Solutions are hidden by this link; hints are still there.' : null,
      settings.lockedSteps.size ? `This link locks the exercises of step ${[...settings.lockedSteps].sort().join(', ')}.` : null,
    ].filter(Boolean);
    notices.replaceChildren(...lines.map((text) => el('p', { class: 'progress-notice', role: 'note' }, text)));
  }

  exportButton.addEventListener('click', () => {
    const seed = activeSeed(store, settings);
    const file = buildAnswersFile(seed, store.answersFor(seed));
    downloadJson(file, `bnkata-answers-seed-${seed}.json`);
    const n = Object.keys(file.answers).length;
    importStatus.replaceChildren(el('p', {}, `Exported ${n} answer${n === 1 ? '' : 's'} (seed ${seed}).`));
  });

  // The kata as a Jupyter notebook for this seed (notebook.js), built now from the core's exercises.
  notebookButton.addEventListener('click', async () => {
    const seed = activeSeed(store, settings);
    try {
      const engine = await ctx.exerciseEngine();
      const catalog = engine.compute({ op: 'exercise_catalog' });
      const exercises = (catalog.exercises || []).map((e) => engine.compute({ op: 'exercise', id: e.id, seed }));
      const notebook = buildNotebook(seed, exercises);
      offerDownload(new Blob([JSON.stringify(notebook, null, 1) + '\n'], { type: 'application/x-ipynb+json' }), `bnkata-seed-${seed}.ipynb`);
      importStatus.replaceChildren(el('p', {}, `Downloaded the notebook for seed ${seed}. Its last cell writes an answers file to import here.`));
    } catch (error) {
      importStatus.replaceChildren(el('p', { class: 'progress-import-error', role: 'alert' },
        `The notebook could not be built (${error && error.message ? error.message : error}). Nothing else changed.`));
    }
  });

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = '';  // the same file can be chosen again
    if (!file) return;
    importStatus.replaceChildren(el('p', {}, 'Reading the file…'));
    let result;
    try {
      result = await readAnswersFile(file, await ctx.exerciseEngine());
    } catch (error) {
      console.error(error);
      result = { ok: false, message: 'The file could not be imported. Nothing was changed.' };
    }
    if (!result.ok) {
      importStatus.replaceChildren(el('p', { class: 'progress-import-error', role: 'alert' }, result.message));
      return;
    }
    // The file's seed becomes the learner's seed (it is their work, perhaps from another computer),
    // unless this link sets the seed.
    const fileSeed = Number(result.file.seed);
    const adoptSeed = settings.seed === null && Number.isSafeInteger(fileSeed) && fileSeed >= 0;
    store.replaceAnswers(result.records, adoptSeed ? fileSeed : undefined);
    const imported = Object.values(result.records).reduce((n, byId) => n + Object.keys(byId).length, 0);
    const s = result.summary || {};
    const lines = [`Imported ${imported} answer${imported === 1 ? '' : 's'} for seed ${result.file.seed}: ` +
      `${s.correct ?? 0} correct, ${s.incorrect ?? 0} not correct, ${s.invalid ?? 0} invalid, ${s.not_attempted ?? 0} not attempted. ` +
      'Your earlier progress is kept in the browser under “bnkata:v1:progress:before-import”.'];
    if (settings.seed !== null && settings.seed !== fileSeed) {
      lines.push(`This link shows seed ${settings.seed}; open the lesson without ?seed= (or with ?seed=${result.file.seed}) to see the imported answers.`);
    }
    importStatus.replaceChildren(...lines.map((t) => el('p', {}, t)));
  });

  show();
  const unsubscribe = store.subscribe(() => show());
  return {
    update() {},
    destroy() { unsubscribe(); },
  };
}
