// progress-store.js — the learner's progress, kept in localStorage so that a reload keeps everything.
//
// Key: "bnkata:v1:progress" (namespaced and versioned: every file:// page shares one origin in Chromium,
// as do all project sites of one GitHub user). Value:
//   { format: "bnkata-progress", version: 1, seed: <the learner's own seed>,
//     answers: { "<seed>": { "<exercise id>": Record } },
//     runs:    { "<experiment>": <run summary from the training lab> } }
//   Record = { answer, attempts, verdict, hints, revealed, draft, source, at }
//     answer   — the last answer submitted for grading (the grade request's shape, docs/exercises.md)
//     attempts — how many times it was checked; verdict — the last verdict ("correct", …)
//     hints    — how many hints are open; revealed — whether the solution was shown
//     draft    — what is typed but not yet checked; source — the code exercise's editor text
// Answers are kept per seed: an instructor's ?seed= link does not overwrite the learner's own work.
//
// Nothing is ever lost silently: a stored value that is not valid progress (corrupt JSON, another app's
// data, a newer version) is copied to "bnkata:v1:progress:backup" before the store starts afresh, and a
// notice says so. When localStorage is unavailable the store works in memory and says that too.
export const STORAGE_KEY = 'bnkata:v1:progress';
export const BACKUP_KEY = 'bnkata:v1:progress:backup';
export const BEFORE_IMPORT_KEY = 'bnkata:v1:progress:before-import';
const FORMAT = 'bnkata-progress';
const VERSION = 1;
const MAX_SEED = Number.MAX_SAFE_INTEGER;  // 2^53 − 1, the contract's largest seed

export function isValidSeed(value) {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEED;
}

function randomSeed() {
  const words = new Uint32Array(2);
  crypto.getRandomValues(words);
  return (words[0] % 2 ** 21) * 2 ** 32 + words[1];  // uniform over 0 … 2^53 − 1
}

function emptyProgress(seed = randomSeed()) {
  return { format: FORMAT, version: VERSION, seed, answers: {}, runs: {} };
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Why a stored value is not usable progress, or '' when it is.
function problemWith(value) {
  if (!isPlainObject(value)) return 'it is not a progress record';
  if (value.format !== FORMAT) return 'it was written by something else';
  if (value.version !== VERSION) {
    return typeof value.version === 'number' && value.version > VERSION
      ? `it was written by a newer version of the lesson (version ${value.version})`
      : 'it has an unknown version';
  }
  if (!isValidSeed(value.seed)) return 'its seed is not valid';
  if (!isPlainObject(value.answers) || !Object.values(value.answers).every(isPlainObject)) return 'its answers are malformed';
  if (value.runs !== undefined && !isPlainObject(value.runs)) return 'its runs are malformed';
  return '';
}

function openStorage(storage) {
  try {
    const s = storage === undefined ? window.localStorage : storage;
    if (!s) return null;
    const probe = `${STORAGE_KEY}:probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch (_) {
    return null;  // disabled storage, private mode with no quota, sandboxed iframe …
  }
}

export class ProgressStore {
  constructor({ storage } = {}) {
    this.storage = openStorage(storage);
    this.notices = [];      // sentences for the learner: what happened to their stored progress
    this.listeners = new Set();
    this.data = this.load();
  }

  load() {
    if (!this.storage) {
      this.notices.push({ level: 'warning', text: 'Your browser does not let this page store anything, so progress lasts only until you close the tab. Use “Export answers” to keep it.' });
      return emptyProgress();
    }
    let raw = null;
    try { raw = this.storage.getItem(STORAGE_KEY); } catch (_) { raw = null; }
    if (raw === null) return emptyProgress();
    let value;
    let problem = '';
    try { value = JSON.parse(raw); } catch (_) { problem = 'it is not valid JSON'; }
    if (!problem) problem = problemWith(value);
    if (!problem) {
      value.runs = value.runs || {};
      return value;
    }
    // Keep the unusable value, then start afresh.
    let kept = false;
    try { this.storage.setItem(BACKUP_KEY, raw); kept = true; } catch (_) { kept = false; }
    this.notices.push({
      level: 'warning',
      text: `The progress stored in this browser could not be read (${problem}), so the exercises start afresh. ` +
        (kept ? `The old value is kept under the localStorage key “${BACKUP_KEY}”.` : 'The old value could not be kept (storage is full).'),
    });
    const fresh = emptyProgress();
    this.write(fresh);
    return fresh;
  }

  // Writes progress; on failure (quota) keeps working in memory and says so once.
  write(data = this.data) {
    if (!this.storage) return false;
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(data));
      return true;
    } catch (_) {
      if (!this.quotaNoticeShown) {
        this.quotaNoticeShown = true;
        this.notices.push({ level: 'warning', text: 'Your progress could not be saved (browser storage is full or blocked). Use “Export answers” to keep it.' });
        this.emit({ type: 'notice' });
      }
      return false;
    }
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change) {
    for (const listener of [...this.listeners]) {
      try { listener(change); } catch (error) { console.error(error); }
    }
  }

  get learnerSeed() { return this.data.seed; }

  record(seed, id) {
    const bySeed = this.data.answers[String(seed)];
    const record = bySeed && bySeed[id];
    return isPlainObject(record) ? record : null;
  }

  // Merges `patch` into the record of (seed, id) and saves. `source` names the widget that changed it,
  // so it does not redraw itself.
  update(seed, id, patch, source = null) {
    const key = String(seed);
    const bySeed = this.data.answers[key] || (this.data.answers[key] = {});
    bySeed[id] = { ...(isPlainObject(bySeed[id]) ? bySeed[id] : {}), ...patch, at: new Date().toISOString() };
    this.write();
    this.emit({ type: 'record', seed, id, source });
    return bySeed[id];
  }

  answersFor(seed) {
    return this.data.answers[String(seed)] || {};
  }

  run(experiment) {
    const run = this.data.runs[experiment];
    return isPlainObject(run) ? run : null;
  }

  setRun(run) {
    this.data.runs[run.experiment] = run;
    this.write();
    this.emit({ type: 'run', experiment: run.experiment });
  }

  // Replaces the answers of the given seeds' exercises with imported ones (other exercises stay), after
  // keeping a copy of the progress as it was. `records`: { "<seed>": { id: Record } }.
  replaceAnswers(records, newLearnerSeed) {
    if (this.storage) {
      try { this.storage.setItem(BEFORE_IMPORT_KEY, JSON.stringify(this.data)); } catch (_) { /* best effort */ }
    }
    for (const [seed, byId] of Object.entries(records)) {
      const target = this.data.answers[seed] || (this.data.answers[seed] = {});
      for (const [id, record] of Object.entries(byId)) target[id] = record;
    }
    if (newLearnerSeed !== undefined) this.data.seed = newLearnerSeed;
    this.write();
    this.emit({ type: 'import' });
  }

  // Another tab changed the progress: take its version (it is newer).
  reloadFromStorage() {
    const notices = this.notices;
    this.data = this.load();
    this.notices = notices;
    this.emit({ type: 'import' });
  }
}

let shared = null;
// The page's one store (every step's exercise list and the progress panel share it).
export function progressStore() {
  if (!shared) {
    shared = new ProgressStore();
    window.addEventListener('storage', (event) => {
      if (event.key === STORAGE_KEY && event.newValue !== null) shared.reloadFromStorage();
    });
  }
  return shared;
}
