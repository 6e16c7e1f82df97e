// answers-file.js — export the learner's answers as a file, and import such a file back.
//
// The file is the answers file of docs/exercises.md, the one `bnkata check answers.json` re-grades:
//   { "format": "bnkata-answers", "version": 1, "seed": 123,
//     "answers": { "<id>": { "seed": 123, "answer": {…}, "attempts": 2 }, … } }
// The page adds nothing the CLI does not read except, for code exercises, "source" (the editor text) next
// to "answer", so an import restores the code as well as its outputs.
//
// Import is all-or-nothing: the file is checked completely (size before reading, JSON, format, version,
// and the core's own check_answers validation) before anything in the progress changes; a rejected file
// changes nothing and gets one sentence saying why, then “Nothing was changed.” (never a parser's or
// the core's internal wording).

import { offerDownload } from '../ui/download.js';

export const FILE_FORMAT = 'bnkata-answers';
export const FILE_VERSION = 1;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;  // the contract's limit (docs/exercises.md)

// The answers file for one seed, from the store's records.
export function buildAnswersFile(seed, records) {
  const answers = {};
  for (const [id, record] of Object.entries(records)) {
    if (!record || record.answer === undefined) continue;
    const entry = { seed, answer: record.answer, attempts: record.attempts || 0 };
    if (typeof record.source === 'string') entry.source = record.source;
    answers[id] = entry;
  }
  return { format: FILE_FORMAT, version: FILE_VERSION, seed, answers };
}

// Offers `file` as a download named `name`.
export function downloadJson(file, name) {
  offerDownload(new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' }), name);
}

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

// Reads and checks an imported File. Resolves to { ok: true, file, records } or { ok: false, message }.
// `core` validates with check_answers, so the page accepts exactly what `bnkata check` accepts.
export async function readAnswersFile(blob, core) {
  const name = blob.name ? `“${blob.name}”` : 'The file';
  if (blob.size > MAX_FILE_BYTES) {
    // Checked before reading: a 50 MB file is never loaded into memory.
    return { ok: false, message: `${name} is too large for an answers file (${sizeText(blob.size)}; at most ${sizeText(MAX_FILE_BYTES)}). Nothing was changed.` };
  }
  let text;
  try {
    text = await blob.text();
  } catch (error) {
    return { ok: false, message: `${name} could not be read from the disk. Nothing was changed.` };
  }
  let file;
  try {
    file = JSON.parse(text);
  } catch (_) {
    return { ok: false, message: `${name} is not an answers file: its text is not valid JSON. Nothing was changed.` };
  }
  if (!file || typeof file !== 'object' || Array.isArray(file) || file.format !== FILE_FORMAT) {
    return { ok: false, message: `${name} is not a BatchNorm Kata answers file. Nothing was changed.` };
  }
  if (typeof file.version === 'number' && file.version > FILE_VERSION) {
    return { ok: false, message: `${name} was made by a newer version of the lesson, which this page cannot read. Nothing was changed.` };
  }
  const checked = core.compute({ op: 'check_answers', file });
  if (!checked || checked.error) {
    const e = (checked && checked.error) || {};
    return { ok: false, message: `${name} cannot be imported: ${e.message || 'it is not an answers file of this lesson'}. Nothing was changed.` };
  }
  const records = {};
  for (const [id, entry] of Object.entries(file.answers || {})) {
    if (!entry || typeof entry !== 'object' || entry.answer === undefined) continue;
    const seed = String(entry.seed ?? file.seed);
    const result = checked.results.find((r) => r.id === id);
    const record = { answer: entry.answer, attempts: Number.isInteger(entry.attempts) && entry.attempts >= 0 ? entry.attempts : 0 };
    if (result) record.verdict = result.verdict;
    if (typeof entry.source === 'string') record.source = entry.source;
    (records[seed] || (records[seed] = {}))[id] = record;
  }
  return { ok: true, file, records, summary: checked.summary, results: checked.results };
}
