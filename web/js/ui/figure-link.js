// figure-link.js — a figure's state in the URL hash, so that a shared link shows the same batch:
// #step-1?x=1,2,3,100&eps=1e-3 (step 1's figure), #step-5?x=…&gamma=…&beta=…&eps=… (step 5's).
//
// Conventions, as the training lab's (#lab?exp=…, lab/url-state.js): the section's id comes first, so the
// link still lands on the step (main.js and step-nav.js read `#step-1?…` as `#step-1`); the figure owns
// its parameters and checks them with the same parsers as its fields, so a bad value gets the figure's
// usual message next to the field it belongs to; the hash follows the learner's edits through
// history.replaceState (no new history entry per keystroke), a moment after the last edit.
//
// Values are written as plain text: numbers are percent-encoded one by one and a list is joined with
// literal commas, so a link stays readable (x=1,2,3,100) and a "+" in 1e+21 survives ("+" is %2B).

const WRITE_DELAY_MS = 300;

/** The id the address's #fragment names ('' if none): `#step-1?x=…` names `step-1`. */
export function fragmentId(hash = location.hash) {
  const id = hash.slice(1).split('?')[0];
  try { return decodeURIComponent(id); } catch { return id; }  // a malformed %-escape: the id as written
}

/**
 * Reads the state a link gives the figure in section `sectionId`. Returns null when the hash is not
 * `#sectionId?…`, else { values: { name: raw text }, unknown: [names not in `names`] }. Names are taken
 * once (the first occurrence wins); a malformed %-escape leaves that value as written.
 */
export function readFigureLink(sectionId, names, hash = location.hash) {
  const prefix = `#${sectionId}?`;
  if (!hash.startsWith(prefix)) return null;
  const values = {};
  const unknown = [];
  for (const part of hash.slice(prefix.length).split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const name = decode(at < 0 ? part : part.slice(0, at));
    const value = at < 0 ? '' : decode(part.slice(at + 1));
    if (!names.includes(name)) { if (!unknown.includes(name)) unknown.push(name); continue; }
    if (!(name in values)) values[name] = value;
  }
  return { values, unknown };
}

function decode(text) {
  try { return decodeURIComponent(text); } catch { return text; }
}

/** The hash for a figure's state: entries are [name, number | number[]]; undefined values are left out. */
export function figureHash(sectionId, entries) {
  const encode = (value) => (Array.isArray(value) ? value.map(encode).join(',') : encodeURIComponent(String(value)));
  const query = entries.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${encode(value)}`).join('&');
  return `#${sectionId}?${query}`;
}

/**
 * Keeps the URL's hash in step with a figure, a moment after the learner's last edit:
 * write(entries) schedules history.replaceState to figureHash(sectionId, entries); cancel() drops a
 * pending write (on destroy).
 */
export function createFigureLinkWriter(sectionId, { delay = WRITE_DELAY_MS } = {}) {
  let timer = 0;
  return {
    write(entries) {
      clearTimeout(timer);
      const hash = figureHash(sectionId, entries);
      timer = setTimeout(() => {
        timer = 0;
        if (location.hash !== hash) history.replaceState(history.state, '', hash);
      }, delay);
    },
    cancel() {
      clearTimeout(timer);
      timer = 0;
    },
  };
}

/** A sentence for link parameters a figure does not know (shown in the figure, never thrown). */
export function unknownParameters(names, known) {
  const list = names.map((n) => `“${n}”`).join(', ');
  return `The link sets ${list}, which this figure does not have (it has ${known.join(', ')}); ${names.length > 1 ? 'they were' : 'it was'} ignored.`;
}
