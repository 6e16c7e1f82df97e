// One of the lab's training Web Workers: trains some of an experiment's lanes (networks) with the C++
// engine (the TrainingLab Embind class, docs/training.md) off the main thread, and streams their metrics
// to the page. The page runs a pool of these (worker-host.js); each lane trains in exactly one worker, so
// a lane's numbers do not depend on how many workers share the experiment.
//
// Its source is the lab's WASM module (bnkata-training.js, which defines createBnKataTraining) followed
// by this file bundled as an IIFE (scripts/build-lab.mjs); the page starts it from a Blob URL
// (worker-host.js), which works from file:// and http alike and inherits the page's CSP.
//
// Protocol (page → worker):
//   { type: 'mnist', deflated, count, train, test, bytes }   the packed digits: inflated here, and a copy
//                                                     of the inflated bytes goes back (the page shares it)
//   { type: 'mnist-bytes', buffer, count, train }     the digits already inflated (a copy of one buffer)
//   { type: 'init', experimentId, values, lanes }     build these lanes (indices) at step 0 (a sweep: none)
//   { type: 'lane', index }                           'sweep': build this lane at step 0 (the previous one goes)
//   { type: 'run', until, seq }                       train whole chunks until every lane here is at `until`
//   { type: 'stop', seq }                             stop after the chunk in progress
//   { type: 'speed', stepsPerSecond }
//   { type: 'summarise', request }                    the engine's run summary of request (runSummary)
// (worker → page):
//   { type: 'ready' }                                 the module is instantiated
//   { type: 'mnist-decoded', buffer }                 the inflated digits, for the page to share
//   { type: 'built', step: 0 }                        the lanes of 'init' / 'lane' exist (and the digits)
//   { type: 'chunk', step, lanes: { key: metrics }, probes: { key: probe } }   one chunk of this worker's lanes
//   { type: 'idle', step, memory, seq }               stopped (at `until`, on 'stop', or the lane ended);
//                                                     memory: the WebAssembly memory's size in bytes;
//                                                     seq: the latest 'run' or 'stop' it answers
//   { type: 'summary', summary }                     the summary, or the engine's error value
//   { type: 'error', message }
//
// Consistency: messages are handled only between chunks (a chunk is whole steps of every lane here), so
// a stop never lands mid-step. Chunks follow one grid (multiples of the experiment's chunk from step 0),
// so every lane reports at the same steps whichever worker trains it and however often it was paused.
import { experiments, withDefaults } from './experiments.js';

let module = null;          // the instantiated WASM module
let mnist = null;           // { trainImages, trainLabels, testImages, testLabels }
let mnistWaiters = [];
let run = null;             // { experiment, values, total, lanes: [{ key, config, lab, step, diverged }] }
let until = 0;              // train until the lanes are at this step
let stepsPerSecond = Infinity;
let pumping = false;
let command = 0;            // the number of the latest 'run' or 'stop', echoed by 'idle'

const post = (message, transfer) => self.postMessage(message, transfer || []);

// A CSP refusal inside the worker is not reported to the page's document: pass it on, so it is seen.
self.addEventListener('securitypolicyviolation', (event) => {
  post({ type: 'csp', directive: event.effectiveDirective || event.violatedDirective, blocked: event.blockedURI });
});

function call(lab, method, ...args) {
  const result = JSON.parse(lab[method](...args));
  if (result.error) throw new Error(`${method}: ${result.error.field ? result.error.field + ': ' : ''}${result.error.message}`);
  return result;
}

async function inflateMnist({ deflated, bytes }) {
  const binary = atob(deflated);
  const packed = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) packed[i] = binary.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const all = new Uint8Array(await new Response(stream).arrayBuffer());
  if (all.length !== bytes) throw new Error(`MNIST asset: inflated to ${all.length} bytes, expected ${bytes}`);
  return all;
}

function splitMnist(all, count, train) {
  const pixels = 784, images = all.subarray(0, count * pixels), labels = all.subarray(count * pixels);
  return {
    trainImages: images.subarray(0, train * pixels), trainLabels: labels.subarray(0, train),
    testImages: images.subarray(train * pixels), testLabels: labels.subarray(train),
  };
}

function haveMnist(all, count, train) {
  mnist = splitMnist(all, count, train);
  for (const resolve of mnistWaiters) resolve(mnist);
  mnistWaiters = [];
}

function waitForMnist() {
  return mnist ? Promise.resolve(mnist) : new Promise((resolve) => mnistWaiters.push(resolve));
}

function disposeLanes() {
  if (!run) return;
  for (const lane of run.lanes) if (lane.lab) lane.lab.delete();
  run.lanes = [];
}

async function buildLanes(indices) {
  disposeLanes();
  const all = run.experiment.lanes(run.values);
  if (run.experiment.needsMnist) await waitForMnist();
  run.lanes = indices.map((i) => ({ ...all[i], lab: null, step: 0, diverged: null }));
  for (const lane of run.lanes) {
    lane.lab = new module.TrainingLab();
    call(lane.lab, 'configure', JSON.stringify(lane.config));
    if (lane.config.data && lane.config.data.kind === 'external') {
      call(lane.lab, 'setData', 'train', mnist.trainImages, mnist.trainLabels);
      call(lane.lab, 'setData', 'test', mnist.testImages, mnist.testLabels);
    }
  }
  until = 0;
  post({ type: 'built', step: 0 });
}

const laneStep = () => (run && run.lanes.length ? run.lanes[0].step : 0);
const ended = () => run.lanes.some((lane) => lane.diverged) || laneStep() >= run.total;

// Trains one chunk of every lane here and posts it. The chunk ends at the next multiple of the
// experiment's chunk (the grid), or earlier at `until` or the run's end.
function chunk() {
  const { experiment, values } = run;
  const size = experiment.chunk(values);
  const from = laneStep();
  const to = Math.min(run.total, until, (Math.floor(from / size) + 1) * size);
  const report = { type: 'chunk', step: to, lanes: {}, probes: {} };
  const probe = experiment.probe(values);
  for (const lane of run.lanes) {
    const metrics = call(lane.lab, 'step', to - from);
    delete metrics.batch_losses;  // the page plots chunk means; keep the message small
    lane.step = to;
    report.lanes[lane.key] = metrics;
    if (metrics.diverged) lane.diverged = metrics.diverged;
    if (probe && !metrics.diverged) report.probes[lane.key] = call(lane.lab, 'probe', JSON.stringify(probe));
  }
  post(report);
}

function wasmBytes() {
  return module && module.HEAPU8 ? module.HEAPU8.buffer.byteLength : null;
}

// The training loop: one chunk per macrotask, so that 'stop' and 'speed' are handled in between.
async function pump() {
  if (pumping) return;
  pumping = true;
  try {
    while (run && run.lanes.length && laneStep() < until && !ended()) {
      const started = performance.now();
      const before = laneStep();
      chunk();
      // Speed control: hold each chunk to at most stepsPerSecond; always yield once to the event loop.
      const wait = Number.isFinite(stepsPerSecond) ? Math.max(0, (1000 * (laneStep() - before)) / stepsPerSecond - (performance.now() - started)) : 0;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } catch (error) {
    post({ type: 'error', message: error.message });
  } finally {
    pumping = false;
  }
  post({ type: 'idle', step: laneStep(), memory: wasmBytes(), seq: command });
}

// Messages that build things are handled one at a time, in order (an 'init' may wait for the digits);
// 'run', 'stop' and 'speed' go through the same queue, and the training loop runs outside it, so a
// 'stop' is handled at the next chunk boundary.
// The digits bypass the queue: an 'init' in the queue may be waiting for them.
let queue = Promise.resolve();
self.onmessage = (event) => {
  if (event.data.type === 'mnist' || event.data.type === 'mnist-bytes') receiveMnist(event.data);
  else queue = queue.then(() => handle(event.data));
};

async function receiveMnist(message) {
  try {
    if (message.type === 'mnist-bytes') {
      haveMnist(new Uint8Array(message.buffer), message.count, message.train);
      return;
    }
    const all = await inflateMnist(message);
    const copy = all.slice();
    post({ type: 'mnist-decoded', buffer: copy.buffer }, [copy.buffer]);
    haveMnist(all, message.count, message.train);
  } catch (error) {
    post({ type: 'error', message: error.message });
  }
}

async function handle(message) {
  try {
    await moduleReady;
    switch (message.type) {
      case 'init': {
        const experiment = experiments[message.experimentId];
        const values = withDefaults(experiment, message.values);
        run = { experiment, values, total: experiment.totalSteps(values), lanes: [] };
        await buildLanes(message.lanes);
        break;
      }
      case 'lane':
        await buildLanes([message.index]);
        break;
      case 'run':
        command = message.seq;
        until = message.until;
        pump();
        break;
      case 'stop':
        command = message.seq;
        until = laneStep();
        if (!pumping) post({ type: 'idle', step: laneStep(), memory: wasmBytes(), seq: command });
        break;
      case 'summarise':
        post({ type: 'summary', summary: JSON.parse(module.runSummary(JSON.stringify(message.request))) });
        break;
      case 'speed':
        stepsPerSecond = message.stepsPerSecond > 0 ? message.stepsPerSecond : Infinity;
        break;
      default:
        break;
    }
  } catch (error) {
    post({ type: 'error', message: error.message });
  }
}

// Instantiate the module (createBnKataTraining comes from bnkata-training.js, prepended to this script).
const moduleReady = self.createBnKataTraining().then((instance) => {
  module = instance;
  post({ type: 'ready' });
}, (error) => post({ type: 'error', message: `the training module failed to start: ${error && error.message ? error.message : error}` }));
