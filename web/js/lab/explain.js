// Words for the lab's status line: what state the run is in, and — when it stopped on its own — why.

const fmt = (n) => Number(n).toLocaleString('en-US');

export function explainStop(status, reason, experiment, values) {
  switch (status) {
    case 'idle': return `Ready. Press Play to train ${experiment.schedule === 'sweep' ? 'every point of the sweep' : 'both networks'} from seed ${values.seed}.`;
    case 'starting': return experiment.needsMnist ? 'Loading the MNIST digits and building the networks…' : 'Building the networks…';
    case 'running': return 'Training…';
    case 'paused': return 'Paused. Step trains one chunk; Play continues; Reset starts again from the same initial weights.';
    case 'done': return 'Finished. The summaries under each plot describe the result; Export saves it.';
    case 'diverged': return explainDivergence(reason || {});
    case 'error': return `The lab stopped with an error: ${reason && reason.message ? reason.message : 'unknown error'}.`;
    default: return '';
  }
}

function explainDivergence(reason) {
  const what = reason.quantity === 'loss' ? 'its training loss became infinite or not a number (NaN)'
    : `${reason.quantity || 'a quantity'} became infinite or not a number (NaN)`;
  const lr = reason.config && reason.config.learning_rate;
  return `The network "${reason.label || reason.lane}" diverged by step ${fmt(reason.step ?? 0)}: ${what}. ` +
    'Its numbers grew until they left the range a float can hold, so the run stopped there; the plots show the last ' +
    'whole chunk before it. The usual causes: a learning rate too large for this network (each step overshoots by ' +
    'more than the last), or weights initialised so large that the signal grows layer after layer. ' +
    `${lr !== undefined ? `Its learning rate was ${lr}. ` : ''}Try a smaller learning rate or weight scale, then press Play to start again.`;
}
