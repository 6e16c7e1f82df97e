// exercise-card.js — one exercise: its prompt, the answer widget of its kind, "Check", the verdict,
// progressive hints, the solution, and the attempt count — all restored from the learner's progress.
//
// Data flow (one way): the learner's input → the widget → "Check" → core.compute({op:"grade"}) → the
// store (answer, attempts, verdict) → the verdict display. The card never decides right or wrong itself.
import { el, uniqueId } from '../ui/dom.js';
import { formatNumber, formatVector } from '../ui/format.js';
import { createFieldsWidget } from './answer-fields.js';
import { createChoiceWidget } from './answer-choice.js';
import { createCodeWidget } from './answer-code.js';
import { renderVerdict } from './verdict.js';

const WIDGETS = {
  numeric: createFieldsWidget,
  vector: createFieldsWidget,
  formula: createFieldsWidget,
  paste: createFieldsWidget,
  choice: createChoiceWidget,
  multi: createChoiceWidget,
  predict: createChoiceWidget,
  code: createCodeWidget,
};

const EXPERIMENT_NAMES = {
  fig1: 'Ioffe & Szegedy’s Figure 1 (with and without BN)',
  'lr-sweep': 'the learning-rate sweep',
  'bias-blowup': 'the bias blow-up run',
};

// Creates the card for `exercise` (the core's exercise response). `env`: { core, store, seed, number,
// locked, hideSolutions, headingLevel }.
export function createExerciseCard(exercise, env) {
  const { core, store, seed } = env;
  const titleId = uniqueId('exercise-title');
  const make = WIDGETS[exercise.kind] || createFieldsWidget;
  const widget = make(exercise);
  const record = () => store.record(seed, exercise.id) || {};

  const status = el('p', { class: 'exercise-status' });
  const verdictBox = el('div', { class: 'verdict', role: 'status', 'aria-live': 'polite' });
  const checkButton = el('button', { type: 'submit', class: 'button button--primary' }, exercise.kind === 'code' ? 'Run and check' : 'Check');
  const runBox = exercise.kind === 'predict' ? el('div', { class: 'exercise-run', 'aria-live': 'polite' }) : null;
  const fieldset = el('fieldset', { class: 'exercise-inputs' }, el('legend', { class: 'visually-hidden' }, `Your answer to ${env.number}`), widget.element);
  const form = el('form', { class: 'exercise-form', novalidate: true, 'aria-labelledby': titleId },
    fieldset, runBox, el('div', { class: 'exercise-actions' }, checkButton));

  // Hints and solution.
  const hints = Array.isArray(exercise.hints) ? exercise.hints : [];
  const hintList = el('ol', { class: 'exercise-hints', 'aria-label': 'Hints' });
  const hintButton = el('button', { type: 'button', class: 'button' });
  const solutionButton = env.hideSolutions ? null : el('button', { type: 'button', class: 'button' }, 'Reveal the solution');
  const solutionBox = el('div', { class: 'exercise-solution', 'aria-live': 'polite' });
  const help = el('div', { class: 'exercise-help' },
    hints.length ? hintButton : null, solutionButton, hintList, solutionBox);

  const lockNote = env.locked
    ? el('p', { class: 'exercise-locked' }, `Your instructor has locked the exercises of step ${exercise.step} for now; you can read them but not answer yet.`)
    : null;

  const Heading = `h${env.headingLevel || 4}`;
  const element = el('article', { class: `exercise exercise--${exercise.kind}`, 'aria-labelledby': titleId, 'data-exercise': exercise.id },
    el('header', { class: 'exercise-header' },
      el(Heading, { id: titleId, class: 'exercise-title' }, `${env.number} ${exercise.title}`),
      el('p', { class: `exercise-path exercise-path--${exercise.core ? 'core' : 'optional'}` }, exercise.core ? 'Core path' : 'Optional'),
      status),
    el('p', { class: 'exercise-prompt' }, exercise.prompt || ''),
    exercise.data && typeof exercise.data.script === 'string'
      ? el('pre', { class: 'exercise-script', tabindex: '0', 'aria-label': 'The script to run' }, exercise.data.script) : null,
    lockNote,
    form,
    verdictBox,
    widget.after || null,
    help);

  // ---- state → DOM

  function showStatus() {
    const r = record();
    const attempts = r.attempts || 0;
    const verdictText = { correct: 'correct', incorrect: 'not correct yet' }[r.verdict] || 'not answered';
    const parts = [verdictText, `${attempts} attempt${attempts === 1 ? '' : 's'}`];
    if (r.revealed) parts.push('solution seen');
    status.textContent = parts.join(' · ');
    element.dataset.verdict = r.verdict || 'none';
  }

  function showHints() {
    const shown = Math.min(record().hints || 0, hints.length);
    hintList.replaceChildren(...hints.slice(0, shown).map((text) => el('li', {}, text)));
    hintButton.textContent = shown < hints.length ? `Show a hint (${shown + 1} of ${hints.length})` : 'All hints shown';
    hintButton.disabled = shown >= hints.length || env.locked;
  }

  function showSolution() {
    if (!solutionButton) return;
    solutionButton.disabled = env.locked;
    if (!record().revealed) { solutionBox.replaceChildren(); return; }
    solutionButton.hidden = true;
    const solution = exercise.solution || {};
    solutionBox.replaceChildren(
      el('p', { class: 'exercise-solution-title' }, el('strong', {}, 'Solution')),
      describeAnswer(solution.answer, exercise),
      solution.paper ? el('div', { class: 'exercise-solution-text' }, el('p', {}, 'The paper’s result supports:'), describeAnswer(solution.paper, exercise)) : null,
      solution.explanation ? el('p', { class: 'exercise-solution-text' }, solution.explanation) : null,
      describeOptions(solution.options, exercise));
  }

  // A prediction is only a prediction if it was made before the run: one chosen before the run's summary
  // arrived is locked once it arrives; one first chosen after it is sent as such (made_after_run) and the
  // core never counts it as correct.
  function predictionState() {
    const run = exercise.kind === 'predict' ? store.run(exercise.experiment) : null;
    if (!run) return { run: null, locked: null, after: false };
    const r = record();
    const chosen = ((r.draft && r.draft.prediction) || (r.answer && r.answer.prediction)) || '';
    const before = chosen && typeof r.predictedAt === 'string' && typeof run.received === 'string' && r.predictedAt <= run.received;
    return { run, locked: before ? chosen : null, after: !before };
  }

  function showRun() {
    if (!runBox) return;
    const { run, locked } = predictionState();
    const name = EXPERIMENT_NAMES[exercise.experiment] || exercise.experiment;
    if (locked) {
      widget.write({ prediction: locked });
      widget.setDisabled(true);
    } else {
      widget.setDisabled(env.locked);
    }
    runBox.replaceChildren(!run
      ? el('p', { class: 'exercise-run-status exercise-run-status--missing' },
        `No run yet. Predict first, then run ${name} in the training lab above, then come back and check.`)
      : locked
        ? el('p', { class: 'exercise-run-status' }, `Run available: ${name}, finished ${new Date(run.received || Date.now()).toLocaleTimeString()}. Your prediction was made before it and is now locked; Check compares it with the run.`)
        : el('p', { class: 'exercise-run-status exercise-run-status--after' }, `Run available: ${name}, finished ${new Date(run.received || Date.now()).toLocaleTimeString()}, before you predicted. A choice made now is recorded as made after the run and does not count as a correct prediction.`));
  }

  function grade(answer) {
    let response;
    try {
      response = core.compute({ op: 'grade', id: exercise.id, seed, answer });
    } catch (error) {
      console.error(error);
      response = { verdict: 'invalid', message: 'This answer could not be checked.' };
    }
    if (!response || response.error) {
      const e = (response && response.error) || {};
      response = { verdict: 'invalid', message: e.message ? `This answer could not be checked: ${e.message}.` : 'This answer could not be checked.', mistake: null };
    }
    return response;
  }

  function show(response) {
    renderVerdict(verdictBox, response, exercise);
    widget.showResult(response);
  }

  // ---- learner actions

  function answerWithRun(answer) {
    if (exercise.kind !== 'predict') return answer;
    const { run, locked, after } = predictionState();
    if (!run) return answer;
    const { received, ...summary } = run;
    return { ...(locked ? { prediction: locked } : answer), run: summary, ...(after ? { made_after_run: true } : {}) };
  }

  let checking = false;
  let draftTimer = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (checking || env.locked) return;
    clearTimeout(draftTimer);  // what is being checked is no longer a draft
    checking = true;
    checkButton.disabled = true;
    try {
      const answer = answerWithRun(await widget.read());
      const response = grade(answer);
      const previous = record();
      // Only a gradable answer is an attempt; one that cannot be checked is not stored as the answer either,
      // so the progress panel does not count it as answered.
      const counts = response.verdict === 'correct' || response.verdict === 'incorrect';
      const patch = counts
        ? { answer, verdict: response.verdict, attempts: (previous.attempts || 0) + 1, draft: null }
        : { draft: answer };
      if (widget.source) patch.source = widget.source();
      store.update(seed, exercise.id, patch, element);
      show(response);
      showStatus();
    } finally {
      checking = false;
      checkButton.disabled = env.locked;
    }
  });

  // Typing saves a draft, so a reload keeps unchecked work too.
  widget.onInput(() => {
    clearTimeout(draftTimer);
    // When the prediction was chosen is saved at once (not after the draft's delay): a run finishing a moment
    // later must find it.
    if (exercise.kind === 'predict' && !predictionState().run) {
      store.update(seed, exercise.id, { draft: widget.read(), predictedAt: new Date().toISOString() }, element);
    }
    draftTimer = setTimeout(() => {
      const patch = widget.source ? { source: widget.source() } : { draft: widget.read() };
      store.update(seed, exercise.id, patch, element);
    }, 300);
  });

  hintButton.addEventListener('click', () => {
    store.update(seed, exercise.id, { hints: Math.min((record().hints || 0) + 1, hints.length) }, element);
    showHints();
    showStatus();
    const items = hintList.querySelectorAll('li');
    if (items.length) { items[items.length - 1].tabIndex = -1; items[items.length - 1].focus(); }
  });

  if (solutionButton) {
    solutionButton.addEventListener('click', () => {
      store.update(seed, exercise.id, { revealed: true }, element);
      showSolution();
      showStatus();
      solutionBox.tabIndex = -1;
      solutionBox.focus();
    });
  }

  // ---- restore

  function restore() {
    const r = record();
    if (r.draft && typeof r.draft === 'object') widget.write(r.draft, r);
    else widget.write(r.answer, r);
    if (r.answer !== undefined && r.verdict) show(grade(r.answer));  // re-grade: the core is the truth
    else show(null);
    showStatus();
    showHints();
    showSolution();
    showRun();
  }

  widget.setDisabled(env.locked);
  checkButton.disabled = env.locked;
  restore();

  const unsubscribe = store.subscribe((change) => {
    if (change.type === 'run' && change.experiment === exercise.experiment) showRun();
    else if (change.type === 'import') restore();
    else if (change.type === 'record' && change.id === exercise.id && change.source !== element) restore();
  });

  return {
    element,
    destroy() { unsubscribe(); clearTimeout(draftTimer); },
  };
}

// A solution answer as text: field values, chosen options by their text.
function describeAnswer(answer, exercise) {
  if (!answer || typeof answer !== 'object' || !Object.keys(answer).length) return null;
  const optionText = (id) => {
    const o = (exercise.options || []).find((opt) => opt.id === id);
    return o ? o.text : String(id);
  };
  const fieldLabel = (name) => {
    const f = (exercise.fields || []).find((fl) => fl.name === name);
    return f ? f.label || name : name;
  };
  const items = Object.entries(answer).map(([key, value]) => {
    if (key === 'choice' || key === 'prediction') return el('li', {}, optionText(value));
    if (key === 'choices' && Array.isArray(value)) return value.map((id) => el('li', {}, optionText(id)));
    if (typeof value === 'string' && value.includes('\n')) return el('li', {}, el('pre', { class: 'exercise-solution-code' }, value));
    const shown = Array.isArray(value) ? formatVector(value) : typeof value === 'number' ? formatNumber(value) : String(value);
    return el('li', {}, `${fieldLabel(key)} = ${shown}`);
  });
  return el('ul', { class: 'exercise-solution-answer' }, items);
}

// Every option with its explanation, for a revealed solution (a wrong answer only explains what was picked).
function describeOptions(explained, exercise) {
  if (!explained || typeof explained !== 'object') return null;
  const items = (exercise.options || [])
    .filter((o) => typeof explained[o.id] === 'string')
    .map((o) => el('li', {}, el('strong', {}, `${o.text} `), explained[o.id]));
  return items.length ? el('ul', { class: 'exercise-solution-options', 'aria-label': 'Every option explained' }, items) : null;
}
