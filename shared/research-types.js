// @ts-check
/**
 * The shapes of research runs as the server sends them (GET /api/research/runs/:id), for the
 * page's JSDoc; types only. server/features/research/run-view.ts is checked against them.
 */

/** @typedef {'queued' | 'running' | 'idle' | 'failed' | 'cancelled' | 'interrupted' | 'refused'} RunState */
/** @typedef {'screen' | 'generate' | 'review' | 'tournament' | 'evolve' | 'proximity' | 'meta_review' | 'overview'} CycleStep */
/** @typedef {{ score: number, reason: string }} Score */
/** @typedef {{ code: string, message: string }} RunError */

/**
 * @typedef {object} Review
 * @property {string} id
 * @property {number} cycle
 * @property {'model' | 'scientist'} by
 * @property {Score} novelty
 * @property {Score} feasibility
 * @property {Score} testability
 * @property {{ flag: boolean, note: string }} safety
 * @property {Array<{ citation: string, relevance: string }>} references suggested by the model, never checked
 * @property {string} summary
 */

/**
 * @typedef {object} Hypothesis
 * @property {string} id
 * @property {number} cycle
 * @property {string} title
 * @property {string} statement
 * @property {string} rationale
 * @property {string} test
 * @property {'generated' | 'evolved' | 'scientist'} origin
 * @property {string | null} strategy
 * @property {string[]} parents
 * @property {number} elo
 * @property {number} wins
 * @property {number} losses
 * @property {Review[]} reviews
 * @property {boolean} pinned
 * @property {boolean} dropped
 * @property {string | null} duplicate_of
 * @property {boolean} entered
 */

/**
 * @typedef {object} Match
 * @property {string} id
 * @property {number} cycle
 * @property {string} a
 * @property {string} b
 * @property {string} winner
 * @property {string} reason
 * @property {{ a: number, b: number }} elo_before
 * @property {number} elo_delta points the winner took from the loser
 * @property {Array<{ speaker: 'A' | 'B' | 'judge', text: string }> | null} debate
 */

/** @typedef {{ cycle: number, strengths: string[], weaknesses: string[], advice: string }} MetaReview */
/** @typedef {{ cycle: number, summary: string, ranked: Array<{ id: string, why: string }>, experiments: string[], open_questions: string[] }} Overview */

/**
 * @typedef {object} Cycle
 * @property {number} index 0-based
 * @property {'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'} state
 * @property {CycleStep[]} steps_done
 * @property {CycleStep | null} step
 * @property {{ calls: number, calls_max: number, max_usd: number | null }} plan
 * @property {boolean} last writes the overview
 * @property {number} calls
 * @property {number} usd
 * @property {RunError | null} error
 */

/**
 * @typedef {object} Run
 * @property {string} id
 * @property {string} created_at
 * @property {string} goal
 * @property {string} model
 * @property {'server' | 'byok'} key_mode
 * @property {Record<string, any>} settings
 * @property {RunState} state
 * @property {RunError | null} error
 * @property {Cycle[]} cycles
 * @property {Hypothesis[]} hypotheses
 * @property {Match[]} matches
 * @property {MetaReview[]} meta_reviews
 * @property {Overview | null} overview
 * @property {Array<{ cycle: number, text: string, at: string }>} notes
 * @property {{ calls: number, usd: number }} usage
 * @property {number} pending_cycles
 * @property {string | null} job_id
 * @property {boolean} owner false: someone else's run, opened from a link (read-only)
 * @property {string[]} leaderboard competing hypotheses, best first
 * @property {{ nodes: string[], edges: Array<{ a: string, b: string, weight: number }> }} proximity
 */

/**
 * One line of the session's history (GET /api/research/runs).
 * @typedef {object} RunSummary
 * @property {string} id
 * @property {string} goal
 * @property {string} model
 * @property {RunState} state
 * @property {string} created_at
 * @property {number} cycles
 * @property {number} hypotheses
 * @property {{ id: string, title: string, elo: number } | null} best
 * @property {{ calls: number, usd: number }} usage
 */

export {};
