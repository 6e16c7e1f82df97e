// The training lab's view: controls, plots with their text summaries, status and export. It owns the
// lab's one state object (experiment, values, run status, plot tables) and keeps data flowing one way:
// control → state (→ URL hash, ui/page-state.js) → a pool of Workers (the engine trains; worker-host.js)
// → report → tables, and the engine's summary of the reports → plots and words.
import { experiments, defaultExperiment, withDefaults, emptyTables } from './experiments.js';
import { PAGE_STATE, linkParameters, parseProperties, parseValue, pageStateHash, problemsNotice } from '../ui/page-state.js';
import { TrainingPool, poolSize } from './worker-host.js';
import { loadScript } from '../ui/load-script.js';
import { createPlot, plotToPng, readColours } from './plots.js';
import { toCsv, toJson, download } from './export.js';
import { buildControls } from './controls.js';
import { explainStop } from './explain.js';

// Steps per second per lane for each of the lab's speed choices (ui/page-state.js); 0 = as fast as it goes.
const SPEEDS = { slow: 200, medium: 2000, full: 0 };

// The lab's section of the URL (#lab?exp=depth&seed=7&speed=slow): the experiment, always named, then its
// parameters (experiments.js), then the lab's own settings (PAGE_STATE.lab).
const experimentProperty = {
  type: 'choice', label: 'Experiment', default: defaultExperiment, always: true,
  choices: Object.keys(experiments).map((value) => ({ value })),
};
const labProperties = (experimentId) => ({ exp: experimentProperty, ...experiments[experimentId].params, ...PAGE_STATE.lab });

// The state a #lab?… link gives (defaults without one): { experimentId, values, lab: { speed, workers },
// problems, present }.
function readLink() {
  const raw = linkParameters('lab');
  const chosen = parseValue(experimentProperty, raw?.exp ?? defaultExperiment);
  const experimentId = chosen.ok ? chosen.value : defaultExperiment;
  const { values, problems } = parseProperties(raw || {}, labProperties(experimentId));
  const pick = (table) => Object.fromEntries(Object.keys(table).map((name) => [name, values[name]]));
  return { experimentId, values: pick(experiments[experimentId].params), lab: pick(PAGE_STATE.lab), problems, present: raw !== null };
}

let nextRunId = 1;

export function mountLab(root, { workerSource }) {
  const fromHash = readLink();
  const state = {
    experimentId: fromHash.experimentId,
    values: fromHash.values,
    speed: fromHash.lab.speed,      // a key of SPEEDS
    workers: fromHash.lab.workers,  // null: poolSize decides (one per core but one, at least two)
    status: 'idle',        // idle | starting | paused | running | done | diverged | error
    step: 0, total: 0,
    tables: null,
    summary: null,         // the engine's run summary of what the lanes reported so far (the words quote it)
    stopReason: null,
  };
  let pool = null;         // the Workers of the current run (one pool per run: reset makes a new one)
  let plots = [];
  let colours = null;

  root.classList.add('lab');
  root.replaceChildren();
  const controls = buildControls(root, {
    experiments,
    speeds: PAGE_STATE.lab.speed.choices.map((c) => c.value),
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
      if (pool) pool.speed(SPEEDS[speed]);
      writeUrl();
    },
    onExport: exportRun,
  });
  const plotsRoot = document.createElement('div');
  plotsRoot.className = 'lab-plots';
  root.append(plotsRoot);

  if (fromHash.problems.length) controls.notice(problemsNotice(fromHash.problems));
  if (fromHash.present) root.scrollIntoView({ block: 'start' });

  function experiment() { return experiments[state.experimentId]; }

  function writeUrl() {
    const values = { exp: state.experimentId, ...state.values, speed: state.speed, workers: state.workers };
    history.replaceState(null, '', pageStateHash('lab', values, labProperties(state.experimentId)));
  }

  // A new configuration: new, empty tables and plots; the pool's Workers end, and a new pool builds the
  // nets when next played.
  function configChanged() {
    writeUrl();
    endPool();
    setStatus('idle', 0, experiment().totalSteps(state.values));
    rebuildPlots();
  }

  function rebuildPlots() {
    for (const p of plots) p.plot.destroy();
    plotsRoot.replaceChildren();
    colours = readColours(root);
    state.tables = emptyTables(experiment(), state.values);
    state.summary = null;
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
    const summaries = experiment().summarise(state.tables, state.values, state.status, state.summary);
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
  const onScheme = () => {
    const { tables, summary } = state;
    rebuildPlots();
    Object.assign(state, { tables, summary });
    redraw();
  };
  scheme.addEventListener('change', onScheme);

  function setStatus(status, step, total, reason) {
    if (status === 'done' || status === 'diverged') { finishRun(status, step, total, reason); return; }
    showStatus(status, step, total, reason);
  }

  function showStatus(status, step, total, reason) {
    if (status !== 'running') flushRedraw();  // a stopped run's plots and words show its last chunk
    state.status = status;
    state.step = step;
    state.total = total;
    root.dataset.labStatus = status;  // for styling and for tests that wait on it
    root.dataset.labStep = String(step);
    controls.status(status, step, total, explainStop(status, reason, experiment(), state.values));
  }

  // The engine's summary of the run so far (worker-host.js summarise), for the words under the plots:
  // asked for after each report, one request at a time (a report that arrives meanwhile asks again
  // once the answer is in).
  let summaryAsked = null;   // the request in flight
  let summaryAgain = false;  // a report arrived while it was
  function refreshSummary() {
    if (summaryAsked) { summaryAgain = true; return; }
    const from = pool;
    summaryAsked = from.summarise().then((summary) => {
      summaryAsked = null;
      const again = summaryAgain;
      summaryAgain = false;
      if (pool !== from || !summary) return;  // the run was reset or reconfigured meanwhile
      if (summary.error) {
        controls.notice(`This run could not be summarised: ${summary.error.field}: ${summary.error.message}.`);
        return;
      }
      state.summary = summary;
      scheduleRedraw();
      if (again) refreshSummary();
    });
  }

  // A run is over: its summary is made from every report first, so that the words say it as soon as the
  // lab says "done"; then it is handed to step 3's questions (docs/exercises.md, "predict") unchanged — a
  // window event, and the latest summary per experiment on window.BnKataLab.runs for questions that
  // mount later.
  async function finishRun(status, step, total, reason) {
    const from = pool;
    const summary = await from.summarise();  // answered after any summary asked for earlier
    if (pool !== from) return;  // the run was reset or reconfigured meanwhile
    if (summary && summary.error) controls.notice(`This run could not be summarised for step 3: ${summary.error.field}: ${summary.error.message}.`);
    const ok = summary && !summary.error;
    if (ok) { state.summary = summary; scheduleRedraw(); }  // drawn at once by showStatus (flushRedraw)
    showStatus(status, step, total, reason);
    if (!ok) return;
    const api = (window.BnKataLab = window.BnKataLab || {});
    api.runs = { ...(api.runs || {}), [summary.experiment]: summary };
    window.dispatchEvent(new CustomEvent('bnkata:run-summary', { detail: summary }));
  }

  // The run's pool of Workers: made on the first Play or Step after a new configuration or a reset,
  // built at step 0 (paused); its reports and states reach the view only while it is the current pool.
  async function ensureRun() {
    if (pool) return pool;
    const current = experiment();
    setStatus('starting', 0, current.totalSteps(state.values));
    let mnist = null;
    if (current.needsMnist) {
      await loadScript('mnist.js', () => Boolean(window.BNKATA_MNIST));
      mnist = window.BNKATA_MNIST;
    }
    if (pool) return pool;  // a second click while the digits loaded
    state.tables = emptyTables(current, state.values);
    state.summary = null;
    redraw();
    const made = new TrainingPool({
      source: workerSource(), experimentId: state.experimentId, experiment: current, values: state.values, mnist,
      size: poolSize(current.lanes(state.values).length, navigator.hardwareConcurrency, state.workers),
      onReport: (report) => {
        if (pool !== made) return;
        current.record(state.tables, report, state.values);
        scheduleRedraw();
        refreshSummary();
        if (report.step !== undefined) setStatus(state.status, report.step, state.total);
      },
      onState: ({ state: status, step, total, reason }) => { if (pool === made) setStatus(status, step, total, reason); },
      onMemory: ({ workers, wasmBytes }) => {
        root.dataset.labWorkers = String(workers);  // for tests: the live Workers and their memory
        if (wasmBytes === null) delete root.dataset.labWasmBytes;
        else root.dataset.labWasmBytes = String(wasmBytes);
      },
    });
    pool = made;
    root.dataset.labWorkers = String(made.size);
    pool.speed(SPEEDS[state.speed]);
    return pool;
  }

  function endPool() {
    if (!pool) return;
    pool.destroy();
    pool = null;
  }

  async function play() {
    try {
      if (state.status === 'done' || state.status === 'diverged' || state.status === 'error') await resetRun();
      (await ensureRun()).play();
    } catch (error) { setStatus('error', state.step, state.total, { message: error.message }); }
  }
  function pause() { if (pool) pool.pause(); }
  async function step() {
    try { (await ensureRun()).step(); } catch (error) { setStatus('error', state.step, state.total, { message: error.message }); }
  }
  // Back to step 0 with the same configuration: the old pool's Workers are terminated (their memory
  // goes with them) and a new pool builds the networks from the seed.
  async function resetRun() {
    endPool();
    state.tables = emptyTables(experiment(), state.values);
    state.summary = null;
    redraw();
    await ensureRun();
  }
  async function reset() {
    if (!pool) return;
    try { await resetRun(); } catch (error) { setStatus('error', 0, 0, { message: error.message }); }
  }

  async function exportRun(kind) {
    const name = `bnkata-${state.experimentId}-seed${state.values.seed}`;
    if (kind === 'csv') download(new Blob([toCsv(experiment(), state.values, state.tables)], { type: 'text/csv' }), `${name}.csv`);
    else if (kind === 'json') {
      const summaries = experiment().summarise(state.tables, state.values, state.status, state.summary);
      const text = toJson(state.experimentId, experiment(), state.values, state.tables, summaries, state.summary,
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
      endPool();
      for (const p of plots) p.plot.destroy();
      root.replaceChildren();
    },
  };
}
