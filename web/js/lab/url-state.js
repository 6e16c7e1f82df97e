// The lab's state in the URL hash, so that a shared link reproduces the same run.
//
// Format: #lab?exp=fig1&seed=7&steps=3000&lr=0.5&speed=slow — "lab" first, so that the page's own anchors
// (#step-3) and the lab's state never collide; only parameters that differ from their defaults are
// written, so links stay short. Every parameter is described by a typed entry in a table — the
// experiment's (experiments.js) or, for settings of the lab itself such as the speed, `labParams` below:
// parsing validates against it and falls back to the default, naming the bad field.

const PREFIX = '#lab?';

/** Settings of the lab itself, the same for every experiment (same entry format as experiments.js). */
export const labParams = {
  speed: {
    type: 'choice', label: 'Speed', default: 'full',
    choices: [{ value: 'slow' }, { value: 'medium' }, { value: 'full' }],
  },
  // How many Web Workers train the run's networks; by default (null) one per core but one, at least two
  // (worker-host.js poolSize). Results are the same whatever the number; a link may fix it (benchmarks, tests).
  workers: { type: 'int', label: 'Workers', default: null, min: 1, max: 64 },
};

/**
 * Returns { experimentId, values, lab, problems, present } read from a hash string: values are the
 * experiment's parameters, lab the lab's own settings (labParams), each only where the link sets them
 * validly; problems: [{field, message}].
 */
export function readHash(hash, experiments, defaultId) {
  const problems = [];
  if (!hash || !hash.startsWith(PREFIX)) return { experimentId: defaultId, values: {}, lab: {}, problems, present: false };
  const params = new URLSearchParams(hash.slice(PREFIX.length));
  let experimentId = params.get('exp') || defaultId;
  if (!experiments[experimentId]) {
    problems.push({ field: 'exp', message: `no experiment named "${experimentId}"; showing the default` });
    experimentId = defaultId;
  }
  const values = {};
  for (const [name, spec] of Object.entries(experiments[experimentId].params)) {
    if (!params.has(name)) continue;
    const parsed = parseValue(spec, params.get(name));
    if (parsed.ok) values[name] = parsed.value;
    else problems.push({ field: name, message: parsed.message });
  }
  const lab = {};
  for (const [name, spec] of Object.entries(labParams)) {
    if (!params.has(name)) continue;
    const parsed = parseValue(spec, params.get(name));
    if (parsed.ok) lab[name] = parsed.value;
    else problems.push({ field: name, message: parsed.message });
  }
  for (const name of params.keys()) {
    if (name !== 'exp' && !(name in experiments[experimentId].params) && !(name in labParams)) {
      problems.push({ field: name, message: `"${name}" is not a setting of this experiment; ignored` });
    }
  }
  return { experimentId, values, lab, problems, present: true };
}

/** The hash for an experiment, its values and the lab's settings (defaults omitted). */
export function writeHash(experimentId, experiment, values, lab = {}) {
  const params = new URLSearchParams({ exp: experimentId });
  for (const [name, spec] of Object.entries(experiment.params)) {
    if (name in values && values[name] !== spec.default) params.set(name, String(values[name]));
  }
  for (const [name, spec] of Object.entries(labParams)) {
    if (name in lab && lab[name] !== spec.default) params.set(name, String(lab[name]));
  }
  return PREFIX + params.toString();
}

/**
 * Checks one raw string against a parameter spec:
 *   { type: 'int' | 'number' | 'choice' | 'bool', default, min?, max?, choices? }.
 * Returns { ok: true, value } or { ok: false, message } — never throws.
 */
export function parseValue(spec, raw) {
  const text = String(raw).trim();
  switch (spec.type) {
    case 'int': {
      if (!/^-?\d+$/.test(text)) return { ok: false, message: `expected a whole number, got "${text}"` };
      return inRange(spec, Number(text));
    }
    case 'number': {
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) return { ok: false, message: `expected a number, got "${text}"` };
      return inRange(spec, value);
    }
    case 'choice': {
      const choice = spec.choices.find((c) => String(c.value) === text);
      if (!choice) return { ok: false, message: `expected one of ${spec.choices.map((c) => c.value).join(', ')}, got "${text}"` };
      return { ok: true, value: choice.value };
    }
    case 'bool':
      if (text === '1' || text === 'true') return { ok: true, value: true };
      if (text === '0' || text === 'false') return { ok: true, value: false };
      return { ok: false, message: `expected true or false, got "${text}"` };
    default:
      return { ok: false, message: `unknown parameter type ${spec.type}` };
  }
}

function inRange(spec, value) {
  if (spec.min !== undefined && value < spec.min) return { ok: false, message: `must be at least ${spec.min}, got ${value}` };
  if (spec.max !== undefined && value > spec.max) return { ok: false, message: `must be at most ${spec.max}, got ${value}` };
  return { ok: true, value };
}
