/** Elo ratings of the research tournament: the one copy is shared/elo.js, which the page replays its chart with. */
export { ELO_START, eloUpdate, expectedScore, ratingAfter } from '../../../shared/elo.js';
