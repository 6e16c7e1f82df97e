// page-state.js — the page's state in the URL's #fragment, so that a shared link shows what its sender saw.
//
// Format: #<section>?name=value&name=value, e.g. #step-1?x=1,2,3,100&eps=1e-3 or #lab?exp=depth&seed=7.
// The section's id comes first, so the link still lands on the section (fragmentId); then the properties
// that differ from their defaults, so links stay short. A list is written with literal commas and every
// value is percent-encoded on its own, so a link stays readable (x=1,2,3,100).
//
// Every property is declared once, in PAGE_STATE below: a table of sections, each a table of named, typed,
// defaulted properties. A figure with state adds its section there and calls bindPageState(section, …)
// when it mounts (see normalize.js). The training lab adds its experiments' parameters, which
// lab/experiments.js declares in the same format, to PAGE_STATE.lab.
//
// Reading a link never throws: a value that does not parse is replaced by its default, and it — like a
// name the section does not have — is named in one notice (problemsNotice).
//
// Property specs ({ type, default, … }; `label` names the property in messages where a UI shows one):
//   int      a whole number;        min?, max?
//   number   a finite number;       min?, max?, logStep? (a log-scale slider: the value is 10^k, k a multiple of logStep)
//   choice   one of `choices`:      choices: [{ value, label? }] (a value may be a number or a string)
//   bool     true/false (or 1/0)
//   string   any text;              maxLength?
//   list     numbers, comma-separated; minItems? (default 1), maxItems?
// A property with `always: true` is written even at its default (the lab's experiment: a link names it).

/** The table: every section's properties. The order of a section's properties is the order in a link. */
export const PAGE_STATE = {
  // Step 1's figure (figures/normalize.js): the batch and ε, whose slider runs from 1e-10 to 1 in ×√10 steps.
  'step-1': {
    x: { type: 'list', default: [1, 2, 3, 4], maxItems: 64, label: 'Batch x' },
    eps: { type: 'number', default: 1e-5, min: 1e-10, max: 1, logStep: 0.5, label: 'ε' },
  },
  // Step 1's normalization cube (figures/norm-cube.js; its root's id names the section): the kind, G, the
  // 32 values of x, of shape (N, C, H, W) = (2, 4, 2, 2) in row-major order, and the selected value's place
  // in that order. The example tensor has channels on different scales and one constant channel (whose
  // instance-norm variance is 0).
  'normalization-cube': {
    kind: {
      type: 'choice', label: 'Normalization', default: 'batch',
      choices: [{ value: 'batch' }, { value: 'layer' }, { value: 'instance' }, { value: 'group' }],
    },
    g: { type: 'choice', label: 'Groups G', default: 2, choices: [{ value: 1 }, { value: 2 }, { value: 4 }] },
    x: {
      type: 'list', label: 'x', minItems: 32, maxItems: 32,
      default: [1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 1, 1, 0, 2, 4, 6, 2, 2, 3, 3, 1, 5, 6, 8, 9, 1, 1, 1, 0, 3, 4, 6],
    },
    cell: { type: 'int', label: 'Selected value', default: 5, min: 1, max: 32 },
  },
  // Step 5's figure (figures/verify.js): the batch, γ, β and ε, as typed in its fields.
  'step-5': {
    x: { type: 'list', default: [1, 2, 3, 4], maxItems: 64, label: 'Batch x' },
    gamma: { type: 'number', default: 1, label: 'γ' },
    beta: { type: 'number', default: 0, label: 'β' },
    eps: { type: 'number', default: 1e-5, label: 'ε' },
  },
  // The training lab's own settings (lab/lab-view.js), after `exp` and the experiment's parameters.
  lab: {
    speed: {
      type: 'choice', label: 'Speed', default: 'full',
      choices: [{ value: 'slow' }, { value: 'medium' }, { value: 'full' }],
    },
    // How many Web Workers train the run's networks; by default (null) one per core but one, at least two
    // (worker-host.js poolSize). Results are the same whatever the number; a link may fix it.
    workers: { type: 'int', label: 'Workers', default: null, min: 1, max: 64 },
  },
};

const WRITE_DELAY_MS = 300;

/** The id the address's #fragment names ('' if none): `#step-1?x=…` names `step-1`. */
export function fragmentId(hash = location.hash) {
  return decode(hash.slice(1).split('?')[0]);
}

/**
 * The raw parameters a link gives section `section`: null when the hash is not `#section?…`, else
 * { name: text } (a name given twice: the first wins; a malformed %-escape: the text as written).
 */
export function linkParameters(section, hash = location.hash) {
  const prefix = `#${section}?`;
  if (!hash.startsWith(prefix)) return null;
  const raw = {};
  for (const part of hash.slice(prefix.length).split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const name = decode(at < 0 ? part : part.slice(0, at));
    if (!Object.prototype.hasOwnProperty.call(raw, name)) raw[name] = at < 0 ? '' : decode(part.slice(at + 1));
  }
  return raw;
}

/**
 * Checks raw link parameters against a table of properties. Returns { values, given, problems }: values
 * holds every property (the link's where it parses, else the default), given the names the link set
 * validly, problems [{ field, message }] for values that do not parse and names not in the table.
 */
export function parseProperties(raw, properties) {
  const values = {};
  const given = [];
  const problems = [];
  for (const [name, spec] of Object.entries(properties)) {
    values[name] = spec.default;
    if (!Object.prototype.hasOwnProperty.call(raw, name)) continue;
    const parsed = parseValue(spec, raw[name]);
    if (parsed.ok) { values[name] = parsed.value; given.push(name); } else problems.push({ field: name, message: parsed.message });
  }
  for (const name of Object.keys(raw)) {
    if (!Object.prototype.hasOwnProperty.call(properties, name)) problems.push({ field: name, message: 'no such setting here; ignored' });
  }
  return { values, given, problems };
}

/** A section's state from a hash: null when the hash is not `#section?…`, else parseProperties' result. */
export function readPageState(section, hash = location.hash, properties = PAGE_STATE[section]) {
  const raw = linkParameters(section, hash);
  return raw && parseProperties(raw, properties);
}

/** The hash for a section's values: `#section?…` with the properties that differ from their defaults. */
export function pageStateHash(section, values, properties = PAGE_STATE[section]) {
  const parts = [];
  for (const [name, spec] of Object.entries(properties)) {
    if (!(name in values) || values[name] === undefined) continue;
    if (!spec.always && sameValue(values[name], spec.default)) continue;
    parts.push(`${encodeURIComponent(name)}=${formatValue(spec, values[name])}`);
  }
  return parts.length ? `#${section}?${parts.join('&')}` : `#${section}`;
}

/** The one notice for a link's problems ('' when there are none). */
export function problemsNotice(problems) {
  if (!problems.length) return '';
  const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return `This link’s settings had ${problems.length > 1 ? 'problems' : 'a problem'}, so the default is used instead: ${list}.`;
}

/**
 * Checks one raw string against a property spec (table above). Returns { ok: true, value } or
 * { ok: false, message } — never throws.
 */
export function parseValue(spec, raw) {
  const text = String(raw).trim();
  switch (spec.type) {
    case 'int': {
      if (!/^-?\d+$/.test(text)) return { ok: false, message: `expected a whole number, got "${text}"` };
      return inRange(spec, Number(text));
    }
    case 'number': {
      const value = asNumber(text);
      if (value === null) return { ok: false, message: `expected a number, got "${text}"` };
      const ranged = inRange(spec, value);
      return ranged.ok && spec.logStep ? onLogScale(spec, ranged.value, text) : ranged;
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
    case 'string':
      if (spec.maxLength !== undefined && text.length > spec.maxLength) return { ok: false, message: `at most ${spec.maxLength} characters, got ${text.length}` };
      return { ok: true, value: text };
    case 'list': {
      const items = text === '' ? [] : text.split(',').map((item) => item.trim());
      const bad = items.findIndex((item) => asNumber(item) === null);
      if (bad >= 0) return { ok: false, message: `expected numbers separated by commas; item ${bad + 1}, "${items[bad]}", is not a number` };
      if (items.length < (spec.minItems ?? 1)) return { ok: false, message: `expected at least ${spec.minItems ?? 1} number${(spec.minItems ?? 1) > 1 ? 's' : ''}` };
      if (spec.maxItems !== undefined && items.length > spec.maxItems) return { ok: false, message: `at most ${spec.maxItems} numbers, got ${items.length}` };
      return { ok: true, value: items.map(asNumber) };
    }
    default:
      return { ok: false, message: `unknown property type ${spec.type}` };
  }
}

/** A value as text, as a link shows it: numbers in their shortest form (1e-5, 0.5), a list as 1,2,3. */
export function valueText(spec, value) {
  if (spec.type === 'list') return value.map(shortNumber).join(',');
  return typeof value === 'number' ? shortNumber(value) : String(value);
}

// A value as a link writes it: valueText, each item percent-encoded on its own (the commas stay literal).
function formatValue(spec, value) {
  return valueText(spec, value).split(',').map(encodeURIComponent).join(',');
}

/**
 * Binds a figure to its section of the URL: `apply(values, notice)` is called with every property's value
 * (the link's, else the default) and the notice text ('' or problemsNotice) when the figure mounts with a
 * link to its section and whenever such a link is followed on the open page; write(values) puts the
 * learner's values into the hash a moment after the last edit, with history.replaceState (no history
 * entry per keystroke). destroy() stops both.
 */
export function bindPageState(section, apply, properties = PAGE_STATE[section]) {
  let timer = 0;
  const read = () => {
    const state = readPageState(section, location.hash, properties);
    if (state) apply(state.values, problemsNotice(state.problems));
  };
  read();
  window.addEventListener('hashchange', read);
  return {
    write(values) {
      clearTimeout(timer);
      const hash = pageStateHash(section, values, properties);
      timer = setTimeout(() => {
        timer = 0;
        if (location.hash !== hash) history.replaceState(history.state, '', hash);
      }, WRITE_DELAY_MS);
    },
    destroy() {
      clearTimeout(timer);
      window.removeEventListener('hashchange', read);
    },
  };
}

// A plain decimal number (as parse.js accepts: no "", "0x10" or "Infinity"), or null.
function asNumber(text) {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

// The shorter of 0.001 and 1e-3 (ties: the plain form); an exponent's "+" is left out (1e21).
function shortNumber(value) {
  const plain = String(value).replace('e+', 'e');
  const exponential = value.toExponential().replace('e+', 'e');
  return exponential.length < plain.length ? exponential : plain;
}

function inRange(spec, value) {
  if (spec.min !== undefined && value < spec.min) return { ok: false, message: `must be at least ${spec.min}, got ${value}` };
  if (spec.max !== undefined && value > spec.max) return { ok: false, message: `must be at most ${spec.max}, got ${value}` };
  return { ok: true, value };
}

// A log-scale slider's positions: 10^k with k a multiple of spec.logStep; the value is snapped to that
// position's exact 10^k (so 3.16227766017e-5 from a link is the slider's 10^-4.5).
function onLogScale(spec, value, text) {
  const exponent = Math.log10(value);
  const position = Math.round(exponent / spec.logStep) * spec.logStep;
  if (!(Math.abs(exponent - position) < 1e-9)) {
    return { ok: false, message: `${text} is not on the slider, whose positions are powers of ten ${spec.min} … ${spec.max} in exponent steps of ${spec.logStep}` };
  }
  return { ok: true, value: Number((10 ** position).toPrecision(12)) };
}

function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function decode(text) {
  try { return decodeURIComponent(text); } catch { return text; }
}
