// @ts-check
/**
 * The shapes of research runs as the server sends them (GET /api/research/runs/:id), for the
 * page's JSDoc; types only. server/features/research/run-view.ts is checked against them.
 */

/** @typedef {'queued' | 'running' | 'idle' | 'failed' | 'cancelled' | 'interrupted' | 'refused'} RunState */
/** @typedef {'screen' | 'screen_input' | 'literature' | 'generate' | 'review' | 'tournament' | 'deep_review' | 'evolve' | 'proximity' | 'meta_review' | 'overview'} CycleStep */
/** @typedef {{ score: number, reason: string }} Score */
/** @typedef {{ code: string, message: string }} RunError */
/** @typedef {'openalex' | 'europepmc' | 'arxiv' | 'crossref'} SourceName */
/** @typedef {{ doi?: string, pmid?: string, pmcid?: string, arxiv?: string, openalex?: string }} RecordIds */

/**
 * A reference a model named and what Labcoat found: verified (a real record whose title matches),
 * not_found (its identifier leads nowhere or to another work), unverifiable (nothing to check it by).
 * @typedef {object} CheckedReference
 * @property {string} citation as the model wrote it
 * @property {string} relevance
 * @property {'verified' | 'not_found' | 'unverifiable'} status
 * @property {'excerpt' | 'doi' | 'arxiv' | 'pmid' | 'title' | null} via
 * @property {{ id: string, source: SourceName, title: string, year: number | null, url: string | null, ids: RecordIds } | null} record
 */

/**
 * A record the run's literature searches found; `n` is its number in prompts and citations.
 * @typedef {object} RunRecord
 * @property {number} n
 * @property {number} cycle the cycle whose search found it first
 * @property {string} id
 * @property {SourceName} source
 * @property {string} title
 * @property {string[]} authors
 * @property {number | null} year
 * @property {string | null} venue
 * @property {RecordIds} ids
 * @property {string | null} url
 * @property {string | null} abstract
 */

/**
 * @typedef {object} RunLiterature
 * @property {RunRecord[]} records record n is records[n - 1]
 * @property {Array<{ cycle: number, query: string, found: number, added: number }>} queries
 * @property {Array<{ cycle: number, source: SourceName | null, message: string }>} notices a source (null: every source) that failed in a cycle
 * @property {SourceName[]} sources
 */

/**
 * @typedef {object} Review
 * @property {string} id
 * @property {number} cycle
 * @property {'model' | 'scientist'} by
 * @property {Score} novelty
 * @property {Score} feasibility
 * @property {Score} testability
 * @property {Score} [plausibility] newer model reviews give it; older ones and the scientist's may not
 * @property {{ flag: boolean, note: string }} safety
 * @property {CheckedReference[]} references suggested by the model, each checked
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
 * @property {string[]} assumptions
 * @property {string[]} predictions
 * @property {string} falsification
 * @property {number[]} citations numbers of the run's records it rests on
 * @property {Array<{ n: number, quote: string }>} evidence quotes found verbatim in cited abstracts
 * @property {number} quotes_dropped quotes not found in the cited abstract
 * @property {Array<{ n: number, similarity: number }>} prior_work closest records, most similar first
 * @property {boolean} may_be_published its closest record is nearly identical
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
 * @property {{ cycle: number, assumptions: Array<{ assumption: string, verdict: 'supported' | 'uncertain' | 'invalidating', reason: string, evidence: number[] }>, sink: string } | null} deep_review the deep verification of a leader
 * @property {boolean} safety_cleared the scientist cleared a review's safety flag
 * @property {string | null} refused why the screen refused the scientist's own hypothesis
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
 * @property {Array<{ speaker: 'A' | 'B' | 'judge', text: string, references?: CheckedReference[] }> | null} debate
 */

/** @typedef {{ cycle: number, strengths: string[], weaknesses: string[], advice: string }} MetaReview */
/**
 * @typedef {object} Overview
 * @property {number} cycle
 * @property {string} summary
 * @property {Array<{ id: string, why: string }>} ranked
 * @property {string[]} experiments
 * @property {string[]} open_questions
 * @property {CheckedReference[]} references
 * @property {Array<{ name: string, n: number, hypotheses: string[] }>} contacts authors of records the leading hypotheses cite
 */

/**
 * @typedef {object} Cycle
 * @property {number} index 0-based
 * @property {'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'} state
 * @property {CycleStep[]} steps_done
 * @property {CycleStep | null} step
 * @property {{ calls: number, calls_max: number, max_usd: number | null, lookups_max: number }} plan lookups: literature requests, not model calls
 * @property {boolean} last writes the overview
 * @property {number} calls
 * @property {number} usd
 * @property {number} lookups literature requests made
 * @property {RunError | null} error
 */

/**
 * What the goal asks for, as a plan every prompt reads; the scientist may edit it between cycles.
 * @typedef {{ objective: string, preferences: string[], constraints: string[], attributes: string[], domain: string }} ResearchPlan
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
 * @property {ResearchPlan | null} plan
 * @property {Cycle[]} cycles
 * @property {Hypothesis[]} hypotheses
 * @property {Match[]} matches
 * @property {MetaReview[]} meta_reviews
 * @property {Overview | null} overview
 * @property {RunLiterature | null} literature null when literature is off
 * @property {Array<{ cycle: number, text: string, at: string, refused?: string }>} notes
 * @property {{ calls: number, usd: number }} usage
 * @property {number} pending_cycles
 * @property {string | null} job_id
 * @property {boolean} owner false: someone else's run, opened from a link (read-only)
 * @property {string[]} leaderboard competing hypotheses, best first
 * @property {{ nodes: string[], edges: Array<{ a: string, b: string, weight: number }> }} proximity
 * @property {{ matches: number, first_won: number, rate: number | null }} position_bias how often the judge chose the hypothesis shown first
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
