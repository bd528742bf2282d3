// @ts-check
/**
 * How a run's ratings and judgements read: a rating's ± (shared/elo.js), the matches behind it,
 * the judge's position bias, why a hypothesis is held for safety. Pure; loaded with a run, not
 * with the page.
 */
import { eloUncertainty } from '../../shared/elo.js';
import { count } from '../lib/format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/**
 * How sure a rating is, after this many matches (wins + losses): "±123", or "unrated" before the first.
 * @param {number} matches
 */
export function uncertaintyText(matches) {
  const u = eloUncertainty(matches);
  return u === null ? 'unrated' : `±${u.toLocaleString('en-US')}`;
}

/** @param {{ wins: number, losses: number }} h e.g. "2 matches" */
export const matchesText = (h) => count(h.wins + h.losses, 'match', 'matches');

/**
 * The judge's position bias in a sentence; null before the first match.
 * @param {Run['position_bias']} bias
 */
export function positionBiasText(bias) {
  if (!bias || bias.matches === 0) return null;
  const pct = Math.round((bias.first_won / bias.matches) * 100);
  return `The judge chose the first-shown hypothesis in ${bias.first_won.toLocaleString('en-US')} of ${count(bias.matches, 'match', 'matches')} (${pct}%); 50% is no position bias.`;
}

/**
 * Why a hypothesis is held for safety: the notes of the reviews that flagged it.
 * @param {import('../../shared/research-types.js').Hypothesis} h
 */
export function safetyNotes(h) {
  const notes = h.reviews.filter((r) => r.safety.flag).map((r) => r.safety.note.trim() || 'flagged without a note');
  return [...new Set(notes)].join('; ');
}
