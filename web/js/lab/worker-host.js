// The page's side of the lab's training Workers: a pool of them for one run of an experiment. Each lane
// (network) of the run trains in exactly one Worker, so a lane's numbers are the same whatever the pool's
// size; the pool merges the Workers' reports back into the single stream the view has always seen, in the
// same order (a 'together' chunk once every lane has reported it; a sweep's points in lane order).
//
// The Workers start from one Blob URL of inlined source (works from file:// and http; docs/toolchain.md);
// the worker source text (the WASM module + worker.js) is defined by dist/lab.js. A pool lives for one run:
// reset, a new configuration or leaving the lab terminates its Workers (and so frees their memory).
//
// The MNIST digits are inflated once per page, by the first Worker that needs them, which sends the page
// a copy; the page keeps that one buffer and sends every later Worker (of this pool or a later one) a
// copy of it, so no Worker inflates them again.
//
// The pool also keeps what every lane answered (its step reports and probes, as the view received them,
// and a diverged lane's last report too), so that when the run is over one of its Workers can have the
// engine reduce them to the run's summary (summarise(); docs/training.md, "Run summaries").

let inflatedMnist = null;  // { buffer, count, train }, once a Worker has inflated the asset

/**
 * How many Workers train a run of `lanes` lanes: one per core but one (the page's), yet at least two, and
 * at most one per lane — unless `forced` (the link's `workers=` setting) asks for a number, still at most
 * one per lane. At least two because on a two-core machine "all cores but one" would be no pool at all,
 * while the core it keeps would mostly wait: during a run the page's main thread only merges reports and
 * redraws the plots between chunks, and the two Workers' training is what the learner waits for.
 */
export function poolSize(lanes, hardwareConcurrency, forced) {
  const wanted = forced || Math.max(2, (hardwareConcurrency || 2) - 1);
  return Math.max(1, Math.min(lanes, wanted));
}

export class TrainingPool {
  /**
   * @param {object} options
   *   source         the Worker's complete source text
   *   experimentId, experiment, values    what to train (experiments.js)
   *   size           how many Workers (poolSize)
   *   mnist          the packed MNIST asset (window.BNKATA_MNIST) when the experiment needs it
   *   onReport(report)                   one merged report, as experiment.record expects it
   *   onState({ state, step, total, reason })   paused | running | done | diverged | error, and progress
   *   onMemory({ workers, wasmBytes })   the live Workers and their WebAssembly memories' total size (null
   *                                      until each has reported)
   */
  constructor(options) {
    Object.assign(this, options);
    this.lanes = this.experiment.lanes(this.values);
    this.total = this.experiment.totalSteps(this.values);
    this.chunkSize = this.experiment.chunk(this.values);
    this.sweep = this.experiment.schedule === 'sweep';
    this.closed = false;
    this.phase = 'building';     // building | paused | running | pausing | stepping | ended
    this.wanted = null;          // 'play' | 'step' asked for while building, pausing or stepping: done next
    this.merged = 0;             // together: the merged step; sweep: unused (progress() sums the lanes)
    this.pending = new Map();    // together: step → [chunk report per Worker]
    this.nextLane = 0;           // sweep: the next lane to hand out
    this.points = [];            // sweep: finished lanes' points by lane index, released in lane order
    this.released = 0;
    this.answers = this.lanes.map((lane) => ({ config: lane.config, reports: [], probes: [] }));
    this.summaryWaiters = [];    // summarise() calls waiting for their Worker's answer, in order
    this.url = URL.createObjectURL(new Blob([this.source], { type: 'text/javascript' }));
    this.workers = Array.from({ length: this.size }, (_, index) => this.spawn(index));
    this.sendMnist();
    // 'together': lane i trains in Worker i mod size (neighbouring lanes, often alike in cost, on
    // different Workers). A sweep's Workers start with no lane and are handed one at a time.
    for (const [index, w] of this.workers.entries()) {
      const lanes = this.sweep ? [] : this.lanes.map((_, i) => i).filter((i) => i % this.size === index);
      w.worker.postMessage({ type: 'init', experimentId: this.experimentId, values: this.values, lanes });
      w.building = true;
    }
  }

  spawn(index) {
    const worker = new Worker(this.url);
    const w = { index, worker, seq: 0, busy: false, building: false, step: 0, lane: null, last: null, memory: null };
    worker.onmessage = (event) => { if (!this.closed) this.receive(w, event.data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (!this.closed) this.fail(`the training worker failed: ${event.message || 'unknown error'}`);
    };
    return w;
  }

  sendMnist() {
    if (!this.experiment.needsMnist) return;
    if (inflatedMnist) {
      for (const w of this.workers) this.sendInflated(w);
    } else {
      this.workers[0].worker.postMessage({ type: 'mnist', ...this.mnist });
    }
  }

  sendInflated(w) {
    const { buffer, count, train } = inflatedMnist;
    w.worker.postMessage({ type: 'mnist-bytes', buffer, count, train });  // structured clone: a copy
  }

  receive(w, message) {
    switch (message.type) {
      case 'mnist-decoded':
        inflatedMnist = { buffer: message.buffer, count: this.mnist.count, train: this.mnist.train };
        for (const other of this.workers.slice(1)) this.sendInflated(other);
        break;
      case 'built':
        w.building = false;
        w.step = 0;
        if (this.phase === 'building') {
          if (this.workers.some((x) => x.building)) break;
          this.phaseTo('paused');
          this.afterPause();
        } else if (this.phase === 'running' || this.phase === 'stepping') {
          this.run(w, w.runAfterBuild);  // a sweep's new lane; after a pause its 'stop' answers for it
        }
        break;
      case 'chunk':
        w.step = message.step;
        w.last = message;
        if (this.sweep) this.state(this.shown());  // progress
        else this.merge(w, message);
        break;
      case 'idle':
        w.memory = message.memory;
        this.reportMemory();
        if (message.seq !== w.seq) break;  // stale: a newer command is on its way
        w.busy = false;
        this.idle(w);
        break;
      case 'summary':
        this.summaryWaiters.shift()(message.summary);
        break;
      case 'error':
        this.fail(message.message);
        break;
      case 'csp':
        console.error(`CSP violation in the training worker: ${message.directive} refused ${message.blocked}`);
        break;
      default:
        break;
    }
  }

  // ---- the learner's controls ----------------------------------------------------------------------

  play() {
    if (this.busyBetween()) { this.wanted = 'play'; return; }
    if (this.phase !== 'paused') return;
    this.phaseTo('running');
    if (this.sweep) for (const w of this.workers) this.continueSweep(w);
    else for (const w of this.workers) this.run(w, this.total);
  }

  pause() {
    this.wanted = null;
    if (this.phase !== 'running') return;
    this.phaseTo('pausing', false);
    for (const w of this.workers) if (w.busy) this.stop(w);
    this.settle();
  }

  step() {
    if (this.busyBetween()) { this.wanted = 'step'; return; }
    if (this.phase !== 'paused') return;
    this.phaseTo('stepping', false);
    if (this.sweep) {
      for (const w of this.workers) {
        if (w.lane === null && this.nextLane < this.lanes.length) this.assignLane(w, false);
        else if (w.lane !== null) this.run(w, this.gridAfter(w.step));
      }
    } else {
      const target = this.gridAfter(this.merged);
      for (const w of this.workers) this.run(w, target);
    }
    this.settle();
  }

  /**
   * The run's summary, made by the engine (the module's runSummary) from every lane's answers so far:
   * resolves to the summary, to the engine's error value, or to null when the pool is destroyed first.
   */
  summarise() {
    return new Promise((resolve) => {
      this.summaryWaiters.push(resolve);
      this.workers[0].worker.postMessage({ type: 'summarise', request: { experiment: this.experimentId, lanes: this.answers } });
    });
  }

  speed(stepsPerSecond) {
    this.stepsPerSecond = stepsPerSecond;
    for (const w of this.workers) w.worker.postMessage({ type: 'speed', stepsPerSecond });
  }

  destroy() {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) w.worker.terminate();
    for (const resolve of this.summaryWaiters.splice(0)) resolve(null);
    URL.revokeObjectURL(this.url);
    if (this.onMemory) this.onMemory({ workers: 0, wasmBytes: null });
  }

  // ---- internals -------------------------------------------------------------------------------------

  // Building, or on the way to a pause: a Play or Step now is done once paused.
  busyBetween() { return this.phase === 'building' || this.phase === 'pausing' || this.phase === 'stepping'; }

  afterPause() {
    const wanted = this.wanted;
    this.wanted = null;
    if (wanted) this[wanted]();
  }

  gridAfter(step) { return Math.min(this.total, (Math.floor(step / this.chunkSize) + 1) * this.chunkSize); }

  // Every 'run' and 'stop' is numbered; a Worker's 'idle' answers the latest one it had, so an idle that
  // was already on its way when a newer command went out is recognised as stale.
  command(w, message) {
    w.busy = true;
    w.worker.postMessage({ ...message, seq: ++w.seq });
  }
  run(w, until) { this.command(w, { type: 'run', until }); }
  stop(w) { this.command(w, { type: 'stop' }); }

  phaseTo(phase, announce = true) {
    this.phase = phase;
    if (announce) this.state(this.shown());
  }

  // What the learner is told: a pause is 'running' until every lane has stopped at the same step.
  shown() { return this.phase === 'running' || this.phase === 'pausing' ? 'running' : 'paused'; }

  progress() {
    if (!this.sweep) return { step: this.merged, total: this.total };
    const finished = this.points.filter(Boolean).length;
    const inProgress = this.workers.reduce((sum, w) => sum + (w.lane !== null ? w.step : 0), 0);
    return { step: finished * this.total + inProgress, total: this.lanes.length * this.total };
  }

  state(state, reason) { this.onState({ state, ...this.progress(), reason }); }

  // wasmBytes is null until every Worker has reported its memory (each does so whenever it stops).
  reportMemory() {
    if (!this.onMemory) return;
    const known = this.workers.map((w) => w.memory);
    const all = known.every((m) => typeof m === 'number');
    this.onMemory({ workers: this.workers.length, wasmBytes: all ? known.reduce((a, b) => a + b, 0) : null });
  }

  fail(message) {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    for (const w of this.workers) this.stop(w);
    this.state('error', { message });
  }

  // A pause or a step is over once every Worker is idle; a 'together' run then also needs every lane at
  // the same step: Workers behind the furthest one catch up to it (whole chunks on the same grid).
  settle() {
    if (this.workers.some((w) => w.busy)) return;
    if (this.phase !== 'pausing' && this.phase !== 'stepping') return;
    if (!this.sweep) {
      const furthest = Math.max(...this.workers.map((w) => w.step));
      const behind = this.workers.filter((w) => w.step < furthest);
      if (behind.length) { for (const w of behind) this.run(w, furthest); return; }
    }
    this.phaseTo('paused');
    this.afterPause();
  }

  idle(w) {
    if (this.phase === 'ended') return;
    if (this.sweep) this.laneIdle(w);
    if (this.phase === 'ended') return;
    if (this.phase === 'pausing' || this.phase === 'stepping') this.settle();
    else if (this.phase === 'running' && this.sweep) this.continueSweep(w);
  }

  // ---- 'together': every lane trains every chunk; a chunk is reported once all lanes have it --------

  merge(w, message) {
    const at = this.pending.get(message.step) || [];
    at[w.index] = message;
    this.pending.set(message.step, at);
    // Each Worker reports its chunks in order, so the smallest step every Worker has reported is next.
    for (;;) {
      const next = Math.min(...this.pending.keys());
      const reports = this.pending.get(next);
      if (!reports || this.workers.some((x) => !reports[x.index])) return;
      this.pending.delete(next);
      this.release(next, reports);
      if (this.phase === 'ended' || !this.pending.size) return;
    }
  }

  release(step, reports) {
    const report = { step, lanes: {}, probes: {} };
    for (const lane of this.lanes) {
      const from = reports.find((r) => lane.key in r.lanes);
      report.lanes[lane.key] = from.lanes[lane.key];
      if (lane.key in from.probes) report.probes[lane.key] = from.probes[lane.key];
    }
    this.merged = step;
    this.lanes.forEach((lane, i) => {
      this.answers[i].reports.push(report.lanes[lane.key]);
      if (lane.key in report.probes) this.answers[i].probes.push(report.probes[lane.key]);
    });
    const diverged = this.lanes.find((lane) => report.lanes[lane.key].diverged);
    if (diverged) {
      // A diverged lane has no test metrics to plot (the engine reports none past the non-finite step):
      // the plots keep the last whole chunk, and the status says in words what happened.
      this.end('diverged', { lane: diverged.key, label: diverged.label, ...report.lanes[diverged.key].diverged, config: diverged.config });
      return;
    }
    this.onReport(report);
    if (step >= this.total) this.end('done');
    else this.state(this.shown());
  }

  end(state, reason) {
    this.phase = 'ended';
    for (const w of this.workers) if (w.busy) this.stop(w);
    this.state(state, reason);
  }

  // ---- 'sweep': lanes are handed out one at a time to whichever Worker is free -----------------------

  assignLane(w, thenRun) {
    w.lane = this.nextLane++;
    w.step = 0;
    w.last = null;
    w.building = true;
    w.busy = true;  // until it has trained (or, when stepping, one chunk)
    w.runAfterBuild = thenRun ? this.total : this.gridAfter(0);
    w.worker.postMessage({ type: 'lane', index: w.lane });
  }

  continueSweep(w) {
    if (w.busy) return;
    if (w.lane !== null) this.run(w, this.total);
    else if (this.nextLane < this.lanes.length) this.assignLane(w, true);
    else if (this.workers.every((x) => x.lane === null && !x.busy) && this.released === this.lanes.length) this.end('done');
  }

  laneIdle(w) {
    if (w.lane === null || !w.last) return;
    const metrics = w.last.lanes[this.lanes[w.lane].key];
    if (!(metrics.diverged || w.step >= this.total)) return;
    const lane = this.lanes[w.lane];
    this.answers[w.lane].reports.push(metrics);
    this.points[w.lane] = { lane: { key: lane.key, series: lane.series, x: lane.x, label: lane.label }, metrics, diverged: metrics.diverged };
    w.lane = null;
    w.step = 0;
    while (this.points[this.released]) this.onReport(this.points[this.released++]);
    if (this.released === this.lanes.length) this.end('done');
    else this.state(this.shown());
  }
}
