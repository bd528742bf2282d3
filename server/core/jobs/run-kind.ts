/**
 * What a feature tells the run life cycle about its runs: where they are stored, whom they belong
 * to, where their status goes, and its steps. The life cycle (kind-runs.ts) does the rest.
 */
import type { JobContext, RunError, RunState } from './job-types.js';

/** The fields every run record has, whatever its kind. */
export interface RunRecord {
  id: string;
  state: RunState;
  /** The run's current job: only that one may run its steps. */
  job_id: string | null;
  error: RunError | null;
  created_at: number;
  updated_at: number;
}

/** A run kind's job parameters: at least the run it works on. */
export interface RunJobParams {
  run_id: string;
}

/** The part of the state document that holds a kind's runs by id. */
export type RunsIn<K extends string, R> = { [key in K]: Record<string, R> };

export interface RunKind<K extends string, R extends RunRecord, P extends RunJobParams> {
  /** The job kind its jobs run as. */
  job: string;
  /** The state document's key holding its runs. */
  slice: K;
  /**
   * The fields a life-cycle change touches (updated_at goes too), journaled alone: a run with
   * many results is not rewritten for a state change. Absent: the whole run is journaled.
   */
  lifecycleFields?: ReadonlyArray<keyof R & string>;
  /** The routes that cancel and resume its runs: the generic job routes send callers there. */
  routes: string;
  /** The session a run belongs to; its jobs are queued for it. */
  owner(run: Readonly<R>): string;
  topic(run: Readonly<R>): string;
  /** What the run's status message says besides state, queue place and error. */
  statusFields(run: Readonly<R>): Record<string, unknown>;
  /** The job's work on a run that is still current. It marks the run's success itself (done, idle, next job). */
  steps(run: Readonly<R>, params: P, ctx: JobContext): Promise<unknown>;
  /** Settles a cancelled run: what is done stays. */
  settleCancel(id: string): void;
  /** A cancel settles the run at once, rather than when its running job stops. */
  cancelsAtOnce?: boolean;
  /** Marks besides the state when a run is interrupted (by a restart or a shutdown). */
  onInterrupted?(run: R): void;
  /** Marks besides state and error when a run fails. */
  onFailed?(run: R, error: RunError, params: P): void;
  /** Shown when the steps fail unexpectedly (the error itself goes to the log only). */
  unexpected: RunError;
  /** An error the steps end with on purpose (a refused goal): the kind settles the run and returns what the job ends with. */
  settleOwnError?(id: string, err: unknown, params: P): Error | undefined;
  /** After a restart, a run cut off after its last step: the kind marks it finished and says so. */
  completeCutOff?(run: R): boolean;
}
