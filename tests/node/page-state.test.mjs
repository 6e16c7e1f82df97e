// The page's state in the URL (web/js/ui/page-state.js): every section's properties survive a round trip
// through a link; a value that does not parse is named in one notice and replaced by its default; links
// written before the table existed still read the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PAGE_STATE, fragmentId, linkParameters, pageStateHash, parseValue, problemsNotice, readPageState,
} from '../../web/js/ui/page-state.js';

test('a link round-trips: values → hash → the same values, defaults left out of the link', () => {
  const five = { x: [2, 4, 6, 8], gamma: 2, beta: -0.5, eps: 1e-3 };
  const hash = pageStateHash('step-5', five);
  assert.equal(hash, '#step-5?x=2,4,6,8&gamma=2&beta=-0.5&eps=1e-3');
  assert.deepEqual(readPageState('step-5', hash), { values: five, given: ['x', 'gamma', 'beta', 'eps'], problems: [] });

  const one = { x: [100000001, 0.5, -3e-7, 1e21], eps: Number((10 ** -4.5).toPrecision(12)) };
  const again = readPageState('step-1', pageStateHash('step-1', one));
  assert.deepEqual(again.values, one);
  assert.equal(pageStateHash('step-1', { x: [1, 2, 3, 4], eps: 1e-5 }), '#step-1', 'all defaults: the plain section link');
});

test('every property of every section round-trips at a value other than its default', () => {
  const OTHER = {
    int: (spec) => (spec.max ?? 100) - 1,
    number: (spec) => (spec.logStep ? spec.max : 0.25),
    choice: (spec) => spec.choices.find((c) => c.value !== spec.default).value,
    bool: (spec) => !spec.default,
    string: () => 'a b&c, d',
    list: (spec) => Array.from({ length: Math.max(2, spec.minItems ?? 1) }, (_, i) => (i % 2 ? -1.5 : 7)),
  };
  const other = (spec) => OTHER[spec.type](spec);
  for (const [section, properties] of Object.entries(PAGE_STATE)) {
    const values = Object.fromEntries(Object.entries(properties).map(([name, spec]) => [name, other(spec)]));
    const read = readPageState(section, pageStateHash(section, values));
    assert.deepEqual(read.problems, [], section);
    assert.deepEqual(read.values, values, section);
  }
});

test('a value that does not parse is named in one notice and replaced by its default', () => {
  const read = readPageState('step-1', '#step-1?x=1,abc,3&eps=2e-4&colour=red');
  assert.deepEqual(read.values, { x: [1, 2, 3, 4], eps: 1e-5 });
  assert.deepEqual(read.problems.map((p) => p.field), ['x', 'eps', 'colour']);
  const notice = problemsNotice(read.problems);
  assert.match(notice, /^This link’s settings had problems, so the default is used instead: /);
  assert.match(notice, /x: expected numbers separated by commas; item 2, "abc", is not a number; /);
  assert.match(notice, /eps: 2e-4 is not on the slider/);
  assert.match(notice, /colour: no such setting here; ignored\.$/);
  assert.equal(problemsNotice([]), '');
});

test('each type says what it expected', () => {
  assert.deepEqual(parseValue({ type: 'int', min: 10 }, '-3'), { ok: false, message: 'must be at least 10, got -3' });
  assert.deepEqual(parseValue({ type: 'int' }, '2.5'), { ok: false, message: 'expected a whole number, got "2.5"' });
  assert.deepEqual(parseValue({ type: 'number' }, 'Infinity'), { ok: false, message: 'expected a number, got "Infinity"' });
  assert.deepEqual(parseValue({ type: 'number' }, ' 1e-3 '), { ok: true, value: 0.001 });
  assert.deepEqual(parseValue(PAGE_STATE.lab.speed, 'warp'), { ok: false, message: 'expected one of slow, medium, full, got "warp"' });
  assert.deepEqual(parseValue({ type: 'choice', choices: [{ value: 3000 }] }, '3000'), { ok: true, value: 3000 });
  assert.deepEqual(parseValue({ type: 'bool' }, 'yes'), { ok: false, message: 'expected true or false, got "yes"' });
  assert.deepEqual(parseValue({ type: 'list', maxItems: 2 }, '1,2,3'), { ok: false, message: 'at most 2 numbers, got 3' });
  assert.deepEqual(parseValue({ type: 'list' }, ''), { ok: false, message: 'expected at least 1 number' });
  assert.deepEqual(parseValue({ type: 'string', maxLength: 2 }, 'abc'), { ok: false, message: 'at most 2 characters, got 3' });
});

test('links in the formats written before still read the same', () => {
  // Step 1 and 5: literal commas, values percent-encoded one by one ("+" as %2B).
  assert.deepEqual(readPageState('step-1', '#step-1?x=1,2,3,100&eps=1e-3').values, { x: [1, 2, 3, 100], eps: 0.001 });
  assert.deepEqual(readPageState('step-5', '#step-5?x=1e%2B21,2&gamma=2').values, { x: [1e21, 2], gamma: 2, beta: 0, eps: 1e-5 });
  // The lab: URLSearchParams' encoding, the experiment always first.
  assert.deepEqual(linkParameters('lab', '#lab?exp=depth&steps=200&workers=2&steps=9'), { exp: 'depth', steps: '200', workers: '2' });
  assert.equal(fragmentId('#step-1?x=1,2'), 'step-1');
  assert.equal(fragmentId('#lab?exp=fig1'), 'lab');
  assert.equal(fragmentId('#%E0%A4%A'), '%E0%A4%A', 'a malformed escape: the id as written');
  assert.equal(readPageState('step-1', '#step-5?x=1'), null, 'another section’s link');
});
