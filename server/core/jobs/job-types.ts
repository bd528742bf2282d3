/**
 * The one life-cycle state of runs and their jobs. A job never idles or is refused: a run idles
 * between cycles (research) and is refused when its goal is declined.
 */
export type RunState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'idle' | 'refused';
export type JobState = Exclude<RunState, 'idle' | 'refused'>;

/** A run's or a job's error, as stored and shown. */
export interface RunError {
  code: string;
  message: string;
}

/** Whether a run or job in this state may (still) have its job run: not one that ended (cancelled, say) meanwhile. */
export function isRunnable(state: RunState): boolean {
  return state === 'queued' || state === 'running' || state === 'interrupted';
}

/** The part of the state document the queue keeps. */
export interface JobsSlice {
  jobs: Record<string, JobRecord>;
  job_stats: Record<string, JobStats>;
}

/** A job as persisted in state.json. Params and checkpoints are plain JSON owned by the job's kind. */
export interface JobRecord {
  id: string;
  kind: string;
  state: JobState;
  session_id: string | null;
  params: unknown;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  progress: { done: number; total: number; message?: string } | null;
  /** What a handler saved to resume from after an interruption. */
  checkpoint: unknown;
  result: unknown;
  error: RunError | null;
  attempts: number;
}

/** Running average duration per kind, for queue ETAs. */
export interface JobStats {
  avg_ms: number;
  count: number;
}

export interface JobContext {
  readonly job: Readonly<JobRecord>;
  /** Aborted on cancel or shutdown; handlers pass it to every outbound call. */
  readonly signal: AbortSignal;
  /** True when this run continues an interrupted one from job.checkpoint. */
  readonly resumed: boolean;
  progress(done: number, total: number, message?: string): void;
  checkpoint(data: unknown): void;
}

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

/** A job's public view (what routes return and topics carry). */
export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  queue_position: number | null;
  eta_s: number | null;
  progress: JobRecord['progress'];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: JobRecord['error'];
  result: unknown;
}
