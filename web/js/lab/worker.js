// The lab's Web Worker: trains the experiment's networks with the C++ engine (the TrainingLab Embind
// class, docs/training.md) off the main thread, and streams each chunk's metrics to the page.
//
// Its source is the lab's WASM module (bnkata-training.js, which defines createBnKataTraining) followed
// by this file bundled as an IIFE (scripts/build-lab.mjs); the page starts it from a Blob URL
// (worker-host.js), which works from file:// and http alike and inherits the page's CSP.
//
// Protocol (page → worker):
//   { type: 'start', runId, experimentId, values }   build the lanes at step 0 (paused)
//   { type: 'mnist', deflated, count, train, test, bytes }   the packed digits (once; see build-mnist.mjs)
//   { type: 'play' } | { type: 'pause' } | { type: 'step' } | { type: 'speed', stepsPerSecond }
//   { type: 'reset' }                                 back to step 0 with the same config, paused
// (worker → page):
//   { type: 'ready' }                                 the module is instantiated
//   { type: 'report', runId, report }                 one chunk's numbers (see `report` below)
//   { type: 'state', runId, state, step, total, reason? }   state ∈ idle | paused | running | done | diverged | error
//
// Consistency: messages are handled only between chunks (a chunk is whole steps of every lane), so a
// pause or reset never lands mid-step; a reset rebuilds the networks from the seed.
import { experiments, withDefaults } from './experiments.js';

let module = null;          // the instantiated WASM module
let mnist = null;           // { trainImages, trainLabels, testImages, testLabels }
let mnistWaiters = [];
let run = null;             // the current run (see startRun)
let running = false;
let stepsPerSecond = Infinity;
let pumping = false;

const post = (message) => self.postMessage(message);

// A CSP refusal inside the worker is not reported to the page's document: pass it on, so it is seen.
self.addEventListener('securitypolicyviolation', (event) => {
  post({ type: 'csp', directive: event.effectiveDirective || event.violatedDirective, blocked: event.blockedURI });
});

function call(lab, method, ...args) {
  const result = JSON.parse(lab[method](...args));
  if (result.error) throw new EngineError(`${method}: ${result.error.field ? result.error.field + ': ' : ''}${result.error.message}`);
  return result;
}
class EngineError extends Error {}

async function inflateMnist({ deflated, count, train, bytes }) {
  const binary = atob(deflated);
  const packed = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) packed[i] = binary.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const all = new Uint8Array(await new Response(stream).arrayBuffer());
  if (all.length !== bytes) throw new Error(`MNIST asset: inflated to ${all.length} bytes, expected ${bytes}`);
  const pixels = 784, images = all.subarray(0, count * pixels), labels = all.subarray(count * pixels);
  return {
    trainImages: images.subarray(0, train * pixels), trainLabels: labels.subarray(0, train),
    testImages: images.subarray(train * pixels), testLabels: labels.subarray(train),
  };
}

function waitForMnist() {
  return mnist ? Promise.resolve(mnist) : new Promise((resolve) => mnistWaiters.push(resolve));
}

function disposeRun() {
  if (!run) return;
  for (const lane of run.lanes) if (lane.lab) lane.lab.delete();
  run = null;
}

// Builds every lane's network at step 0. Sweeps build one lane at a time (only the current one lives).
async function startRun(runId, experimentId, rawValues) {
  running = false;
  disposeRun();
  const experiment = experiments[experimentId];
  const values = withDefaults(experiment, rawValues);
  run = {
    runId, experiment, values, step: 0, laneIndex: 0, total: experiment.totalSteps(values),
    lanes: experiment.lanes(values).map((lane) => ({ ...lane, lab: null, step: 0, diverged: null })),
    state: 'building',  // play/step wait until the lanes exist
  };
  const thisRun = run;
  if (experiment.needsMnist) await waitForMnist();
  if (run !== thisRun) return;  // superseded while waiting
  if (experiment.schedule === 'together') for (const lane of run.lanes) buildLane(lane);
  else buildLane(run.lanes[0]);
  setState('paused');
}

function buildLane(lane) {
  lane.lab = new module.TrainingLab();
  call(lane.lab, 'configure', JSON.stringify(lane.config));
  if (lane.config.data && lane.config.data.kind === 'external') {
    call(lane.lab, 'setData', 'train', mnist.trainImages, mnist.trainLabels);
    call(lane.lab, 'setData', 'test', mnist.testImages, mnist.testLabels);
  }
}

function setState(state, reason) {
  run.state = state;
  post({ type: 'state', runId: run.runId, state, step: progressStep(), total: progressTotal(), reason });
}

function progressStep() {
  return run.experiment.schedule === 'sweep' ? run.laneIndex * run.total + (run.lanes[run.laneIndex]?.step ?? 0) : run.step;
}
function progressTotal() {
  return run.experiment.schedule === 'sweep' ? run.lanes.length * run.total : run.total;
}

// Trains one chunk and posts its report. Returns false when the run has ended.
function chunk() {
  const { experiment, values } = run;
  if (experiment.schedule === 'together') {
    const k = Math.min(experiment.chunk(values), run.total - run.step);
    const report = { step: run.step + k, lanes: {}, probes: {} };
    const probe = experiment.probe(values);
    for (const lane of run.lanes) {
      const metrics = call(lane.lab, 'step', k);
      delete metrics.batch_losses;  // the page plots chunk means; keep the message small
      report.lanes[lane.key] = metrics;
      if (metrics.diverged) lane.diverged = metrics.diverged;
      if (probe && !metrics.diverged) report.probes[lane.key] = call(lane.lab, 'probe', JSON.stringify(probe));
    }
    run.step += k;
    const diverged = run.lanes.find((lane) => lane.diverged);
    if (diverged) {
      // A diverged lane has no test metrics to plot (the engine reports none past the non-finite step):
      // the plots keep the last whole chunk, and the status says in words what happened.
      setState('diverged', { lane: diverged.key, label: diverged.label, ...diverged.diverged, config: diverged.config });
      return false;
    }
    post({ type: 'report', runId: run.runId, report });
    if (run.step >= run.total) { setState('done'); return false; }
    return true;
  }
  // Sweep: the current lane trains a chunk; when it is done (or diverged) it reports one point.
  const lane = run.lanes[run.laneIndex];
  const k = Math.min(experiment.chunk(values), run.total - lane.step);
  const metrics = call(lane.lab, 'step', k);
  delete metrics.batch_losses;
  lane.step += k;
  if (metrics.diverged || lane.step >= run.total) {
    post({ type: 'report', runId: run.runId, report: { lane: { key: lane.key, series: lane.series, x: lane.x, label: lane.label }, metrics, diverged: metrics.diverged } });
    lane.lab.delete();
    lane.lab = null;
    run.laneIndex++;
    if (run.laneIndex >= run.lanes.length) { setState('done'); return false; }
    buildLane(run.lanes[run.laneIndex]);
  }
  post({ type: 'state', runId: run.runId, state: run.state, step: progressStep(), total: progressTotal() });
  return true;
}

// The training loop: one chunk per macrotask, so that pause/reset messages are handled in between.
async function pump() {
  if (pumping) return;
  pumping = true;
  try {
    while (running && run && run.state === 'running') {
      const started = performance.now();
      let more;
      try {
        more = chunk();
      } catch (error) {
        running = false;
        setState('error', { message: error.message });
        break;
      }
      if (!more) { running = false; break; }
      // Speed control: hold each chunk to at most stepsPerSecond; always yield once to the event loop.
      const k = run.experiment.chunk(run.values);
      const wait = Number.isFinite(stepsPerSecond) ? Math.max(0, (1000 * k) / stepsPerSecond - (performance.now() - started)) : 0;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    pumping = false;
  }
}

// Messages are handled one at a time, in order: a 'play' sent right after 'start' waits until the lanes
// exist (start may be waiting for the MNIST digits). The training loop itself runs outside this queue,
// so 'pause' is handled at the next chunk boundary.
let queue = Promise.resolve();
self.onmessage = (event) => { queue = queue.then(() => handle(event.data)); };

async function handle(message) {
  try {
    await moduleReady;
    switch (message.type) {
      case 'mnist':
        mnist = await inflateMnist(message);
        for (const resolve of mnistWaiters) resolve(mnist);
        mnistWaiters = [];
        break;
      case 'start':
        await startRun(message.runId, message.experimentId, message.values);
        break;
      case 'reset':
        if (run) await startRun(run.runId, Object.keys(experiments).find((id) => experiments[id] === run.experiment), run.values);
        break;
      case 'play':
        if (run && run.state === 'paused') { running = true; setState('running'); pump(); }
        break;
      case 'pause':
        if (run && run.state === 'running') {
          running = false;
          // The chunk in progress has finished (messages wait for it); the state is whole steps.
          setState('paused');
        }
        break;
      case 'step':
        if (run && run.state === 'paused') {
          try {
            if (!chunk()) break;
          } catch (error) { setState('error', { message: error.message }); break; }
          if (run.state === 'paused') setState('paused');
        }
        break;
      case 'speed':
        stepsPerSecond = message.stepsPerSecond > 0 ? message.stepsPerSecond : Infinity;
        break;
      default:
        break;
    }
  } catch (error) {
    post({ type: 'state', runId: run ? run.runId : null, state: 'error', step: 0, total: 0, reason: { message: error.message } });
  }
}

// Instantiate the module (createBnKataTraining comes from bnkata-training.js, prepended to this script).
const moduleReady = self.createBnKataTraining().then((instance) => {
  module = instance;
  post({ type: 'ready' });
}, (error) => post({ type: 'state', runId: null, state: 'error', step: 0, total: 0, reason: { message: `the training module failed to start: ${error && error.message ? error.message : error}` } }));
