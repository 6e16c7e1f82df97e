// run-summary.js — how the training lab hands a finished run to the step-3 exercises.
//
// Step 3's `predict` exercises are answered in three moves: predict (choose an option), run (the lab's
// experiment), check (the core grades the prediction against the run). The lab announces every finished
// run with a window event:
//
//   window.dispatchEvent(new CustomEvent('bnkata:run-summary', { detail: {
//     experiment: 'fig1',
//     with_bn:    { final_accuracy: 0.93, final_loss: 0.24, diverged: false, span_drift: 0.9 },
//     without_bn: { final_accuracy: 0.81, final_loss: 0.61, diverged: false, span_drift: 2.1 } } }));
//
// `detail` is the run object of docs/exercises.md ("Step 3: predict, run, check") for experiment "fig1",
// "lr-sweep" or "bias-blowup". The latest run of each experiment is kept with the learner's progress (so
// a reload keeps it) and every step-3 exercise about that experiment can then be checked. The page does
// not judge the numbers; the core does when grading, and says what the run showed. Runs of the lab's
// other experiments (no exercise asks about them yet) are kept too. A run that finished before the
// exercises were mounted is picked up from window.BnKataLab.runs, where the lab also leaves them.
import { progressStore } from './progress-store.js';

export const RUN_EVENT = 'bnkata:run-summary';
const MAX_RUN_CHARS = 20000;

// A plain, JSON-safe copy of the run, or null when it is not a run summary.
export function cleanRun(detail) {
  if (!detail || typeof detail !== 'object' || typeof detail.experiment !== 'string' || !/^[a-z0-9-]{1,40}$/.test(detail.experiment)) return null;
  let text;
  try { text = JSON.stringify(detail); } catch (_) { return null; }
  if (!text || text.length > MAX_RUN_CHARS) return null;
  return { ...JSON.parse(text), received: new Date().toISOString() };
}

let installed = false;
export function listenForRuns() {
  if (installed) return;
  installed = true;
  window.addEventListener(RUN_EVENT, (event) => {
    const run = cleanRun(event.detail);
    if (run) progressStore().setRun(run);
    else console.warn(`${RUN_EVENT}: ignored a detail that is not a run summary (docs/exercises.md)`);
  });
  const earlier = window.BnKataLab && window.BnKataLab.runs;
  if (earlier && typeof earlier === 'object') {
    for (const detail of Object.values(earlier)) {
      const run = cleanRun(detail);
      if (run) progressStore().setRun(run);
    }
  }
}
