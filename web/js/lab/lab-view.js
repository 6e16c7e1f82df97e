// The training lab's view: controls, plots with their text summaries, status and export. It owns the
// lab's one state object (experiment, values, run status, plot tables) and keeps data flowing one way:
// control → state (→ URL hash) → worker (the engine trains) → report → tables → plots and words.
import { experiments, defaultExperiment, withDefaults, emptyTables } from './experiments.js';
import { readHash, writeHash, parseValue, labParams } from './url-state.js';
import { TrainingWorker } from './worker-host.js';
import { loadScript } from '../ui/load-script.js';
import { createPlot, plotToPng, readColours } from './plots.js';
import { toCsv, toJson, download } from './export.js';
import { buildControls } from './controls.js';
import { explainStop } from './explain.js';

// Steps per second per lane for each of labParams.speed's choices; 0 = as fast as it goes.
const SPEEDS = { slow: 200, medium: 2000, full: 0 };

let nextRunId = 1;

export function mountLab(root, { workerSource }) {
  const fromHash = readHash(location.hash, experiments, defaultExperiment);
  const state = {
    experimentId: fromHash.experimentId,
    values: withDefaults(experiments[fromHash.experimentId], fromHash.values),
    speed: fromHash.lab.speed ?? labParams.speed.default,  // a key of SPEEDS
    status: 'idle',        // idle | starting | paused | running | done | diverged | error
    step: 0, total: 0,
    runId: 0,              // the run the worker is building; reports of older runs are ignored
    tables: null,
    stopReason: null,
  };
  let worker = null;
  let plots = [];
  let colours = null;

  root.classList.add('lab');
  root.replaceChildren();
  const controls = buildControls(root, {
    experiments,
    speeds: labParams.speed.choices.map((c) => c.value),
    speed: state.speed,
    onExperiment: (id) => { state.experimentId = id; state.values = withDefaults(experiments[id]); configChanged(); },
    onValue: (name, raw) => {
      const spec = experiments[state.experimentId].params[name];
      const parsed = parseValue(spec, raw);
      if (!parsed.ok) { controls.fieldError(name, `${spec.label}: ${parsed.message}`); return; }
      controls.fieldError(name, '');
      state.values = { ...state.values, [name]: parsed.value };
      configChanged();
    },
    onPlay: play, onPause: pause, onStep: step, onReset: reset,
    onSpeed: (speed) => {
      state.speed = speed;
      if (worker) worker.speed(SPEEDS[speed]);
      writeUrl();
    },
    onExport: exportRun,
  });
  const plotsRoot = document.createElement('div');
  plotsRoot.className = 'lab-plots';
  root.append(plotsRoot);

  if (fromHash.problems.length) {
    controls.notice(`The link's lab settings had problems: ${fromHash.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`);
  }
  if (fromHash.present) root.scrollIntoView({ block: 'start' });

  function experiment() { return experiments[state.experimentId]; }

  // A new configuration: new, empty tables and plots; the worker rebuilds the nets when next played.
  function writeUrl() {
    history.replaceState(null, '', writeHash(state.experimentId, experiment(), state.values, { speed: state.speed }));
  }

  function configChanged() {
    writeUrl();
    state.runId = 0;
    if (worker) worker.pause();
    setStatus('idle', 0, experiment().totalSteps(state.values));
    rebuildPlots();
  }

  function rebuildPlots() {
    for (const p of plots) p.plot.destroy();
    plotsRoot.replaceChildren();
    colours = readColours(root);
    state.tables = emptyTables(experiment(), state.values);
    state.stopReason = null;
    controls.show(state.experimentId, experiment(), state.values);
    plots = experiment().plots(state.values).map((spec) => {
      const figure = document.createElement('figure');
      figure.className = 'lab-figure';
      const caption = document.createElement('figcaption');
      caption.textContent = spec.title;
      const canvasBox = document.createElement('div');
      canvasBox.className = 'lab-canvas';
      canvasBox.setAttribute('aria-hidden', 'true');  // the summary below says in words what it draws
      const summary = document.createElement('p');
      summary.className = 'lab-summary';
      summary.id = `lab-summary-${spec.id}`;
      figure.setAttribute('aria-describedby', summary.id);
      figure.append(caption, canvasBox, summary);
      plotsRoot.append(figure);
      const plot = createPlot(canvasBox, spec, colours, canvasBox.clientWidth || figure.clientWidth || 300);
      return { spec, plot, figure, canvasBox, summary };
    });
    redraw();
  }

  function redraw() {
    const summaries = experiment().summarise(state.tables, state.values, state.status);
    // Plots of one group (the two percentile panels) share a y range, so that side by side they compare.
    const groups = {};
    for (const { spec } of plots) {
      if (!spec.group) continue;
      const values = Object.values(state.tables[spec.id].series).flat().filter((v) => v !== null && Number.isFinite(v));
      if (!values.length) continue;
      const g = groups[spec.group] || (groups[spec.group] = [Infinity, -Infinity]);
      g[0] = Math.min(g[0], ...values);
      g[1] = Math.max(g[1], ...values);
    }
    for (const { spec, plot, summary } of plots) {
      const range = spec.group && groups[spec.group];
      const pad = range ? 0.05 * (range[1] - range[0] || 1) : 0;
      plot.update(state.tables[spec.id], range ? [range[0] - pad, range[1] + pad] : null);
      summary.textContent = summaries[spec.id] || '';
    }
  }

  // Reports can arrive faster than frames: draw at most once per frame, so the main thread stays free.
  let redrawPending = false;
  function scheduleRedraw() {
    if (redrawPending) return;
    redrawPending = true;
    requestAnimationFrame(flushRedraw);
  }
  function flushRedraw() {
    if (!redrawPending) return;
    redrawPending = false;
    redraw();
  }

  // Only a change of width redraws the plots (text growing under them changes the height every chunk).
  let plotsWidth = 0;
  const resizeObserver = new ResizeObserver(() => {
    if (plotsRoot.clientWidth === plotsWidth) return;
    plotsWidth = plotsRoot.clientWidth;
    for (const { plot, canvasBox } of plots) plot.resize(canvasBox.clientWidth);
  });
  resizeObserver.observe(plotsRoot);
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const onScheme = () => { const tables = state.tables; rebuildPlots(); state.tables = tables; redraw(); };
  scheme.addEventListener('change', onScheme);

  function setStatus(status, step, total, reason) {
    if (status !== 'running') flushRedraw();  // a stopped run's plots and words show its last chunk
    state.status = status;
    state.step = step;
    state.total = total;
    root.dataset.labStatus = status;  // for styling and for tests that wait on it
    root.dataset.labStep = String(step);
    controls.status(status, step, total, explainStop(status, reason, experiment(), state.values));
    if (status === 'done' || status === 'diverged') publishRunSummary();
  }

  // Hands the run to step 3's questions (docs/exercises.md, "predict"): a window event, and the latest
  // summary per experiment on window.BnKataLab.runs for questions that mount later.
  function publishRunSummary() {
    const summary = experiment().runSummary(state.tables, state.values, state.status);
    const api = (window.BnKataLab = window.BnKataLab || {});
    api.runs = { ...(api.runs || {}), [summary.experiment]: summary };
    window.dispatchEvent(new CustomEvent('bnkata:run-summary', { detail: summary }));
  }

  function ensureWorker() {
    if (!worker) {
      worker = new TrainingWorker(workerSource(), {
        onReport: (report, runId) => {
          if (runId !== state.runId) return;
          experiment().record(state.tables, report, state.values);
          scheduleRedraw();
          if (report.step !== undefined) setStatus(state.status, report.step, state.total);
        },
        onState: (message) => {
          if (message.runId !== null && message.runId !== state.runId) return;
          setStatus(message.state, message.step, message.total, message.reason);
        },
        onFatal: (message) => setStatus('error', state.step, state.total, { message }),
      });
      worker.speed(SPEEDS[state.speed]);
    }
    return worker;
  }

  // Makes sure the worker has a run for the current configuration (built at step 0, paused).
  async function ensureRun() {
    const w = ensureWorker();
    if (state.runId) return w;
    setStatus('starting', 0, experiment().totalSteps(state.values));
    if (experiment().needsMnist) {
      await loadScript('mnist.js', () => Boolean(window.BNKATA_MNIST));
      w.sendMnist(window.BNKATA_MNIST);
    }
    state.runId = nextRunId++;
    state.tables = emptyTables(experiment(), state.values);
    redraw();
    w.start(state.runId, state.experimentId, state.values);
    return w;
  }

  async function play() {
    try {
      if (state.status === 'done' || state.status === 'diverged' || state.status === 'error') await resetRun();
      (await ensureRun()).play();
    } catch (error) { setStatus('error', state.step, state.total, { message: error.message }); }
  }
  function pause() { if (worker) worker.pause(); }
  async function step() {
    try { (await ensureRun()).step(); } catch (error) { setStatus('error', state.step, state.total, { message: error.message }); }
  }
  async function resetRun() {
    state.runId = 0;
    state.tables = emptyTables(experiment(), state.values);
    redraw();
    await ensureRun();
  }
  async function reset() {
    if (!worker) return;
    worker.pause();
    try { await resetRun(); } catch (error) { setStatus('error', 0, 0, { message: error.message }); }
  }

  async function exportRun(kind) {
    const name = `bnkata-${state.experimentId}-seed${state.values.seed}`;
    if (kind === 'csv') download(new Blob([toCsv(experiment(), state.values, state.tables)], { type: 'text/csv' }), `${name}.csv`);
    else if (kind === 'json') {
      const summaries = experiment().summarise(state.tables, state.values, state.status);
      const text = toJson(state.experimentId, experiment(), state.values, state.tables, summaries,
        { state: state.status, step: state.step, total: state.total }, location.href);
      download(new Blob([text], { type: 'application/json' }), `${name}.json`);
    } else if (kind === 'png') {
      for (const { spec, plot } of plots) download(await plotToPng(plot, spec, colours), `${name}-${spec.id}.png`);
    }
  }

  rebuildPlots();
  setStatus('idle', 0, experiment().totalSteps(state.values));

  return {
    update() {},
    destroy() {
      resizeObserver.disconnect();
      scheme.removeEventListener('change', onScheme);
      if (worker) worker.destroy();
      for (const p of plots) p.plot.destroy();
      root.replaceChildren();
    },
  };
}
