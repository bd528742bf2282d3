/** Orders used by several steps: the leaderboard and who may still compete (one copy, in shared/ranking.js, which the page uses too). */
export { byRating, competing, hypothesisLabels, leaderboard } from '../../../../shared/ranking.js';
