// @ts-check
/**
 * The shapes of the batch-test API as the server sends them (GET /api/batch/...), for the page's
 * JSDoc; types only. server/features/batch/run-view.ts is checked against them.
 */

/** @typedef {'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'} BatchState */
/** @typedef {{ code: string, message: string }} BatchError */

/**
 * @typedef {object} BatchSession a saved endpoint; its key stays on the server, sealed
 * @property {string} id
 * @property {string} base_url
 * @property {string} model
 * @property {string | null} label
 * @property {string} created_at
 * @property {string} expires_at
 */

/**
 * @typedef {object} Connection POST batch/connect (and a new session's `connection`)
 * @property {true} ok
 * @property {string} base_url
 * @property {string} model
 * @property {number} latency_ms
 * @property {string} reply
 * @property {string[] | null} models
 */

/** @typedef {{ id: string, name: string, domain: string, difficulty: string, description: string, prompt_count: number }} SuiteSummary */

/**
 * @typedef {object} ParsedSuite POST batch/suites/parse
 * @property {string} name
 * @property {number} prompt_count
 * @property {Record<string, number>} checks
 * @property {string[]} categories
 */

/** @typedef {{ format: 'json' | 'csv', text: string, name?: string }} SuiteUpload */

/**
 * @typedef {object} BatchEstimate POST batch/estimate
 * @property {number} prompts
 * @property {number} total
 * @property {Array<{ endpoint: number, model: string, calls: number, judge_calls: number, max_output_tokens: number, max_usd: number | null }>} endpoints
 * @property {number | null} max_usd
 * @property {string} note
 */

/** @typedef {{ index: number, session_id: string, label: string | null, base_url: string, model: string }} RunEndpoint */

/**
 * @typedef {object} BatchResult one prompt's answer from one endpoint
 * @property {string} slot `endpoint/suite/prompt`
 * @property {number} endpoint
 * @property {string} suite_id
 * @property {string} prompt_id
 * @property {boolean} ok
 * @property {string | null} error_code
 * @property {string | null} error_message
 * @property {number | null} latency_ms of the attempt that answered
 * @property {number | null} [total_ms] the whole call, retries included
 * @property {number | null} ttft_ms
 * @property {number | null} tpot_ms
 * @property {number | null} tokens_in
 * @property {number | null} tokens_out
 * @property {number | null} cost_usd
 * @property {number} content_length
 * @property {string} answer
 * @property {boolean} answer_truncated
 * @property {'pass' | 'fail' | null} check
 * @property {string | null} check_detail
 * @property {{ score: number, reason: string } | null} judge
 * @property {number} retries
 * @property {string | null} model_answered
 * @property {string} finished_at
 */

/** @typedef {import('./batch-metrics.js').Spread} Spread */
/** @typedef {import('./batch-metrics.js').BatchMetrics} Metrics */
/** @typedef {import('./batch-metrics.js').EndpointMetrics} EndpointMetrics */

/** @typedef {{ suite_id: string, id: string, category: string, prompt: string, system: string | null, max_tokens: number, check_type: string | null }} RunPrompt */

/**
 * @typedef {object} BatchRun GET batch/runs/:id
 * @property {string} id
 * @property {string} topic the live topic: only the owner learns it, from here
 * @property {BatchState} state
 * @property {string} created_at
 * @property {string | null} started_at
 * @property {string | null} finished_at
 * @property {RunEndpoint[]} endpoints
 * @property {Array<{ id: string, name: string, domain: string, difficulty: string, prompt_count: number, custom: boolean }>} suites
 * @property {RunPrompt[]} prompts
 * @property {number} concurrency
 * @property {number} timeout_s
 * @property {number | null} temperature
 * @property {{ endpoint: number, model: string } | null} judge
 * @property {number} total
 * @property {number} done
 * @property {number} failed
 * @property {BatchResult[]} results in run order: prompt by prompt, the endpoints side by side
 * @property {EndpointMetrics[]} metrics
 * @property {number | null} judge_cost_usd what judging cost, on the visitor's key too
 * @property {BatchError | null} error
 * @property {string | null} job_id
 */

/**
 * @typedef {object} BatchRunSummary GET batch/runs
 * @property {string} id
 * @property {BatchState} state
 * @property {string} created_at
 * @property {string | null} finished_at
 * @property {RunEndpoint[]} endpoints
 * @property {string[]} suites
 * @property {number} total
 * @property {number} done
 * @property {number} failed
 */

export {};
