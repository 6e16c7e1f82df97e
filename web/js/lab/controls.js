// The lab's control panel: experiment picker, one labelled input per parameter of the experiment
// (generated from its typed parameter table), play / pause / step / reset, speed, export, and the status
// line. Plain form controls, so everything is keyboard operable; text is set with textContent only.
import { el } from '../ui/dom.js';

export function buildControls(root, handlers) {
  const panel = el('div', { class: 'lab-controls' });
  const intro = el('p', { class: 'lab-intro' });
  const note = el('p', { class: 'lab-intro lab-note' });  // the experiment's words for the chosen values (note(v))

  const pickerLabel = el('label', { class: 'lab-field' });
  pickerLabel.append(el('span', { text: 'Experiment' }));
  const picker = el('select');
  picker.name = 'experiment';
  for (const [id, experiment] of Object.entries(handlers.experiments)) {
    const option = el('option', { text: experiment.title });
    option.value = id;
    picker.append(option);
  }
  picker.addEventListener('change', () => handlers.onExperiment(picker.value));
  pickerLabel.append(picker);

  const fields = el('div', { class: 'lab-fields' });
  const buttons = el('div', { class: 'lab-buttons' });
  const button = (text, onClick) => {
    const b = el('button', { text });
    b.type = 'button';
    b.addEventListener('click', onClick);
    buttons.append(b);
    return b;
  };
  const play = button('Play', handlers.onPlay);
  const pause = button('Pause', handlers.onPause);
  const step = button('Step', handlers.onStep);
  const reset = button('Reset', handlers.onReset);

  const speedLabel = el('label', { class: 'lab-field lab-speed' });
  speedLabel.append(el('span', { text: 'Speed' }));
  const speed = el('select');
  const speedNames = { slow: 'slow (200 steps/s)', medium: 'medium (2,000 steps/s)', full: 'full' };
  for (const name of handlers.speeds) {
    const option = el('option', { text: speedNames[name] || name });
    option.value = name;
    speed.append(option);
  }
  speed.value = handlers.speed;  // from the link (#lab?…&speed=slow), else the default
  speed.addEventListener('change', () => handlers.onSpeed(speed.value));
  speedLabel.append(speed);
  buttons.append(speedLabel);

  const progress = el('progress', { class: 'lab-progress' });
  progress.max = 1;
  progress.value = 0;
  progress.setAttribute('aria-label', 'Training progress');
  const status = el('p', { class: 'lab-status' });
  status.setAttribute('role', 'status');  // polite live region: state changes are announced
  const notice = el('p', { class: 'lab-notice' });
  notice.hidden = true;

  const exports = el('div', { class: 'lab-export' });
  exports.append(el('span', { text: 'Export:' }));
  for (const [kind, text] of [['csv', 'CSV'], ['json', 'JSON'], ['png', 'Plots as PNG']]) {
    const b = el('button', { text });
    b.type = 'button';
    b.addEventListener('click', () => handlers.onExport(kind));
    exports.append(b);
  }

  panel.append(pickerLabel, intro, note, fields, buttons, progress, status, notice);
  root.append(panel);
  const exportRow = exports;

  const fieldErrors = {};
  let lastStatus = '';

  return {
    /** Shows the experiment's parameters with their current values. */
    show(experimentId, experiment, values) {
      picker.value = experimentId;
      intro.textContent = experiment.explain || '';
      intro.hidden = !experiment.explain;
      note.textContent = experiment.note ? experiment.note(values) : '';
      note.hidden = !note.textContent;
      fields.replaceChildren();
      for (const [name, spec] of Object.entries(experiment.params)) {
        const label = el('label', { class: 'lab-field' });
        label.append(el('span', { text: spec.label }));
        let input;
        if (spec.type === 'choice') {
          input = el('select');
          for (const choice of spec.choices) {
            const option = el('option', { text: choice.label });
            option.value = String(choice.value);
            input.append(option);
          }
        } else {
          input = el('input');
          input.type = 'text';
          input.inputMode = spec.type === 'int' ? 'numeric' : 'decimal';
          input.size = 8;
        }
        input.name = name;
        input.value = String(values[name]);
        input.addEventListener('change', () => handlers.onValue(name, input.value));
        const error = el('span', { class: 'lab-field-error' });
        error.id = `lab-error-${name}`;
        input.setAttribute('aria-describedby', error.id);
        fieldErrors[name] = { error, input };
        label.append(input, error);
        fields.append(label);
      }
      // The export row sits after the plots.
      root.append(exportRow);
    },
    fieldError(name, message) {
      const f = fieldErrors[name];
      if (!f) return;
      f.error.textContent = message;
      f.input.setAttribute('aria-invalid', message ? 'true' : 'false');
    },
    notice(text) { notice.hidden = !text; notice.textContent = text; },
    status(state, stepNow, total, words) {
      const running = state === 'running', starting = state === 'starting';
      play.disabled = running || starting;
      pause.disabled = !running;
      step.disabled = running || starting;
      reset.disabled = state === 'idle' || starting;
      progress.max = Math.max(1, total);
      progress.value = Math.min(stepNow, total);
      progress.setAttribute('aria-valuetext', `step ${stepNow} of ${total}`);
      // The live region changes only when the state does (not every chunk), so it does not chatter.
      if (words !== lastStatus) { status.textContent = words; lastStatus = words; }
    },
  };
}
