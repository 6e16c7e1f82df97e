// The page's side of the lab's Web Worker: starts it from a Blob URL of inlined source (works from
// file:// and http; docs/toolchain.md), forwards controls as messages, and hands reports and state changes
// to the view. The worker source text (the WASM module + worker.js) is defined by dist/lab.js.

export class TrainingWorker {
  /**
   * @param {string} source    the worker's complete source text
   * @param {{ onReport(report, runId), onState(state), onFatal(message) }} handlers
   */
  constructor(source, handlers) {
    this.handlers = handlers;
    this.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    this.worker = new Worker(this.url);
    this.mnistSent = false;
    this.ready = new Promise((resolve) => { this.resolveReady = resolve; });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      handlers.onFatal(`the training worker failed: ${event.message || 'unknown error'}`);
    };
  }

  receive(message) {
    if (message.type === 'ready') this.resolveReady();
    else if (message.type === 'report') this.handlers.onReport(message.report, message.runId);
    else if (message.type === 'state') this.handlers.onState(message);
    else if (message.type === 'csp') console.error(`CSP violation in the training worker: ${message.directive} refused ${message.blocked}`);
  }

  /** Sends the packed MNIST asset once (the worker inflates it off the main thread). */
  sendMnist(asset) {
    if (this.mnistSent) return;
    this.mnistSent = true;
    this.worker.postMessage({ type: 'mnist', ...asset });
  }

  start(runId, experimentId, values) { this.worker.postMessage({ type: 'start', runId, experimentId, values }); }
  play() { this.worker.postMessage({ type: 'play' }); }
  pause() { this.worker.postMessage({ type: 'pause' }); }
  step() { this.worker.postMessage({ type: 'step' }); }
  reset() { this.worker.postMessage({ type: 'reset' }); }
  speed(stepsPerSecond) { this.worker.postMessage({ type: 'speed', stepsPerSecond }); }

  destroy() {
    this.worker.terminate();
    URL.revokeObjectURL(this.url);
  }
}
