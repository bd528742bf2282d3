/** Batch runs as stored in state.json. Keys never appear here: endpoints name their batch session. */
import type { JobState, RunError } from '../../core/jobs/job-types.js';
import type { PromptResult } from './metrics.js';
import type { Suite } from './suite-schema.js';

export interface RunEndpoint {
  /** The batch session holding the endpoint and its sealed key. */
  session_id: string;
  label: string | null;
  base_url: string;
  model: string;
}

export interface JudgeChoice {
  /** Index into the run's endpoints: the judge runs on that endpoint with the visitor's key. */
  endpoint: number;
  model: string;
}

/** One prompt's answer from one endpoint. */
export interface BatchResult extends PromptResult {
  endpoint: number;
  answer: string;
  answer_truncated: boolean;
  error_message: string | null;
  check_detail: string | null;
  judge: { score: number; reason: string } | null;
  judge_cost_usd: number | null;
  retries: number;
  model_answered: string | null;
  finished_at: number;
  /** Wall time of the whole call, retries and their waits included (latency_ms is the attempt that answered). */
  total_ms: number | null;
}

export interface BatchRun {
  id: string;
  /** The web session that started it (the only one that may read or change it). */
  owner: string;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** A batch run's state is its job's: it is never idle or refused (those are research's). */
  state: JobState;
  endpoints: RunEndpoint[];
  /** The suites as they were when the run started (a deploy may change the curated ones; a resume must not). */
  suites: Suite[];
  /** The secret part of the live topic `batch:<id>-<topic_key>`: only the owner learns it (the id is in exports). */
  topic_key: string;
  concurrency: number;
  timeout_ms: number;
  temperature: number | null;
  judge: JudgeChoice | null;
  /** Results by slot (`endpoint/suite/prompt`): a slot is written once per attempt, never duplicated. */
  results: Record<string, BatchResult>;
  job_id: string | null;
  error: RunError | null;
}

/** The run's live topic; the key part keeps it to whoever could read the run over HTTP. */
export const topicOf = (run: Pick<BatchRun, 'id' | 'topic_key'>) => `batch:${run.id}-${run.topic_key}`;
/** Length of a topic key (16 random bytes, base64url). */
export const TOPIC_KEY_CHARS = 22;

export const slotKey = (endpoint: number, suiteId: string, promptId: string) => `${endpoint}/${suiteId}/${promptId}`;
