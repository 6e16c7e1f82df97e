// instructor.js — the URL parameters an instructor puts in a link to the lesson.
//
//   ?seed=12345         everyone who opens the link gets the same numbers (an integer 0 … 2^53 − 1);
//                       without it each learner has their own random seed, kept with their progress
//   ?solutions=hide     no "Reveal solution" buttons (hints stay)
//   ?lock=3,4           the exercises of steps 3 and 4 are shown but cannot be answered yet
// They combine: ?seed=7&solutions=hide&lock=4,5. Only the query string is read: the #fragment belongs to
// the step links and the training lab's own state.
// A value that cannot be used is ignored with a notice naming the parameter and what was expected.
import { isValidSeed } from './progress-store.js';

export function readInstructorSettings(location = window.location) {
  const params = new URLSearchParams(location.search);
  const get = (name) => params.get(name);

  const settings = { seed: null, hideSolutions: false, lockedSteps: new Set(), notices: [] };

  const seed = get('seed');
  if (seed !== null) {
    const value = /^\s*\d{1,16}\s*$/.test(seed) ? Number(seed) : NaN;
    if (isValidSeed(value)) settings.seed = value;
    else settings.notices.push(`The link’s seed “${seed.slice(0, 40)}” is not a whole number from 0 to 9007199254740991, so your own seed is used.`);
  }

  const solutions = get('solutions');
  if (solutions !== null) {
    if (solutions === 'hide') settings.hideSolutions = true;
    else if (solutions !== 'show') settings.notices.push(`The link’s “solutions=${solutions.slice(0, 40)}” is not understood (expected solutions=hide).`);
  }

  const lock = get('lock');
  if (lock !== null) {
    for (const part of lock.split(',')) {
      const step = Number(part.trim());
      if (Number.isInteger(step) && step >= 1 && step <= 5) settings.lockedSteps.add(step);
      else if (part.trim()) settings.notices.push(`The link’s “lock” lists “${part.trim().slice(0, 20)}”, which is not a step number from 1 to 5.`);
    }
  }
  return settings;
}

let cached = null;
export function instructorSettings() {
  if (!cached) cached = readInstructorSettings();
  return cached;
}
