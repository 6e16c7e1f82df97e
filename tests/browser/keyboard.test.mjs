// Holding Tab down: key repeat moves focus every few tens of milliseconds, faster than any figure can be
// scrolled into view and mounted after the fact. Focus must still visit every exercise of the lesson, in
// order, starting at each exercise's first control: figures mount as focus approaches them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, mountAllFigures, assertNoProblems } from './lib/index.mjs';

const site = useSite();

// More Tab presses than the page has stops (about 250 with every figure mounted): focus runs off the
// end of the lesson and back to its top, which adds no new first visits.
const PRESSES = 400;

test('holding Tab from the top reaches every exercise’s first control, in document order', async () => {
  const { page, problems, close } = await site.open('');
  try {
    // Each time focus enters an exercise card, note the card and the element focused (its path in the card).
    await page.evaluate(() => {
      window.__visits = [];
      const pathIn = (card, element) => Array.from(card.querySelectorAll('*')).indexOf(element);
      document.addEventListener('focusin', (event) => {
        const card = event.target.closest('article[data-exercise]');
        if (card) window.__visits.push({ id: card.dataset.exercise, at: pathIn(card, event.target) });
      });
    });
    for (let i = 0; i < PRESSES; i++) await page.keyboard.press('Tab');  // no waiting between presses

    const visits = await page.evaluate(() => window.__visits);
    const firstVisits = [];
    for (const visit of visits) if (!firstVisits.some((v) => v.id === visit.id)) firstVisits.push(visit);

    // What the page holds once everything has mounted: every card, and the index of its first control.
    await mountAllFigures(page);
    const cards = await page.evaluate(() => Array.from(document.querySelectorAll('article[data-exercise]'), (card) => {
      const focusable = Array.from(card.querySelectorAll('input, select, textarea, button, a[href], [tabindex], [contenteditable="true"]'))
        .find((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0);
      return { id: card.dataset.exercise, at: Array.from(card.querySelectorAll('*')).indexOf(focusable) };
    }));
    assert.ok(cards.length >= 19, `the lesson has its exercises (${cards.length})`);
    assert.deepEqual(firstVisits.map((v) => v.id), cards.map((c) => c.id), 'exercises focus entered, in order of first visit');
    assert.deepEqual(firstVisits, cards, 'each exercise is entered at its first control');
    assertNoProblems(problems, 'holding Tab');
  } finally {
    await close();
  }
});
