/**
 * Research runs: start, run cycles as queued jobs, cancel, resume, and the scientist's actions
 * between cycles. Keys never reach the store: the call target of a run lives in memory, and a
 * run on a visitor's own key needs that key again to resume after a restart.
 */
import { randomBytes } from 'node:crypto';
import type { ModelCall } from '../../core/accounting/metered-llm.js';
import { AppError } from '../../core/errors/app-error.js';
import { isRunnable, type JobContext, type JobView } from '../../core/jobs/job-types.js';
import type { JobQueue } from '../../core/jobs/queue.js';
import type { Quotas } from '../../core/policy/quotas.js';
import type { Logger } from '../../core/log/logger.js';
import { newHypothesis } from './new-hypothesis.js';
import { estimateResearch, type ResearchEstimate } from './estimate.js';
import { GoalRefused, runCycle, type CycleDeps } from './cycle-runner.js';
import { findRun, getRun, persistRun, sessionRuns, updateRun } from './run-store.js';
import type { Cycle, Hypothesis, ResearchRun, RunSettings } from './run-types.js';
import type { Price } from '../../core/accounting/pricing.js';
import { competing } from './steps/ranking.js';

export const JOB_KIND = 'research-cycle';

/** Bounds on what one session or the scientist can pile into the store (and into prompts and plans). */
export const LIMITS = { runsPerSession: 20, hypothesesPerRun: 300, notesPerRun: 30, scientistReviewsPerHypothesis: 5 } as const;

export interface ResearchServiceDeps extends CycleDeps {
  jobs: JobQueue;
  logger: Logger;
  quotas: Quotas;
  /** The scientist may queue at most this many own hypotheses for one cycle (config max_hypotheses_per_cycle). */
  maxWaitingPerCycle: number;
  /** The Space-key target for a run after a restart (null in data-only mode). */
  serverCall(model: string, sessionId: string): ModelCall | null;
  /** The dearest price of a call's model chain (estimates use the same bound as reservations). */
  chainPrice(call: ModelCall): Price | null;
}

export interface StartRequest {
  sessionId: string;
  call: ModelCall;
  goal: string;
  settings: RunSettings;
}

export class ResearchService {
  /** Call targets (keys included) of runs with cycles to go; never persisted, dropped when a run stops. */
  private readonly calls = new Map<string, ModelCall>();

  constructor(private readonly deps: ResearchServiceDeps) {}

  /** After a restart: runs whose cycle was running are interrupted (resumable). */
  recover(): void {
    const { store } = this.deps;
    for (const run of Object.values(store.data.research_runs)) {
      if (run.state !== 'running' && run.state !== 'queued') continue;
      const job = run.job_id ? store.data.jobs[run.job_id] : undefined;
      if (job?.state === 'queued') continue;
      this.update(run.id, (r) => {
        r.state = 'interrupted';
        const c = r.cycles.at(-1);
        if (c && (c.state === 'running' || c.state === 'queued')) c.state = 'interrupted';
      });
    }
  }

  start(req: StartRequest): { run: ResearchRun; job: JobView; estimate: ResearchEstimate } {
    if (sessionRuns(this.deps.store, req.sessionId).length >= LIMITS.runsPerSession) {
      throw new AppError(
        429,
        'session_run_limit',
        `This session already has ${LIMITS.runsPerSession} runs. Continue one of them (Next cycle), or start a new session later.`,
      );
    }
    const now = this.deps.clock.now();
    const id = `run_${randomBytes(12).toString('base64url')}`;
    const estimate = this.estimate(req.settings, req.call, req.goal, 0, req.settings.cycles);
    const run: ResearchRun = {
      id,
      session_id: req.sessionId,
      created_at: now,
      updated_at: now,
      goal: req.goal,
      model: req.call.target.model,
      key_mode: req.call.mode === 'byok' ? 'byok' : 'server',
      settings: req.settings,
      state: 'queued',
      error: null,
      screening: null,
      cycles: [],
      hypotheses: [],
      matches: [],
      meta_reviews: [],
      overview: null,
      notes: [],
      usage: { calls: 0, usd: 0 },
      pending_cycles: req.settings.cycles,
      job_id: null,
    };
    this.deps.store.update((s) => void (s.research_runs[id] = run));
    persistRun(this.deps.store, id);
    this.calls.set(id, req.call);
    try {
      const job = this.enqueueNext(id, estimate);
      return { run: getRun(this.deps.store, id), job, estimate };
    } catch (err) {
      // Nothing queued (queue full, shutting down): leave no run behind that could never start.
      this.calls.delete(id);
      this.deps.store.update((s) => void delete s.research_runs[id]);
      persistRun(this.deps.store, id);
      throw err;
    }
  }

  /** More cycles on an idle run. */
  /** Checks before counting anything: the owner asks, and the run can take more cycles. */
  assertCanContinue(id: string, sessionId: string): Readonly<ResearchRun> {
    const run = this.owned(id, sessionId);
    if (run.state !== 'idle')
      throw new AppError(409, 'run_busy', `This run is ${run.state}; wait for it to finish, or cancel it, before asking for more cycles.`);
    return run;
  }

  /** More cycles on an idle run, paid by whoever asks now. */
  more(id: string, call: ModelCall, count: number): { job: JobView; estimate: ResearchEstimate } {
    const run = getRun(this.deps.store, id);
    const estimate = this.estimate(run.settings, call, run.goal, run.cycles.length, count, run);
    this.calls.set(id, call);
    this.update(id, (r) => {
      r.pending_cycles = count;
      r.error = null;
      r.key_mode = call.mode === 'byok' ? 'byok' : 'server';
    });
    try {
      return { job: this.enqueueNext(id, estimate), estimate };
    } catch (err) {
      this.update(id, (r) => void (r.pending_cycles = 0));
      throw err;
    }
  }

  cancel(id: string, sessionId: string): ResearchRun {
    const run = this.owned(id, sessionId);
    const job = run.job_id ? this.deps.jobs.get(run.job_id) : undefined;
    if (job && (job.state === 'queued' || job.state === 'running')) this.deps.jobs.cancel(job.id);
    this.settleCancel(id);
    return getRun(this.deps.store, id);
  }

  /** Checks before counting anything: the owner asks, and the run has a cycle to continue. */
  assertResumable(id: string, sessionId: string): Readonly<ResearchRun> {
    const run = this.owned(id, sessionId);
    if (run.state !== 'interrupted' && run.state !== 'failed')
      throw new AppError(409, 'not_resumable', `Only an interrupted or failed run can be resumed; this one is ${run.state}.`);
    if (!run.cycles.at(-1)) throw new AppError(409, 'not_resumable', 'This run has no cycle to resume.');
    return run;
  }

  /** Continues an interrupted or failed cycle from its last finished step, paid by whoever asks now. */
  resume(id: string, call: ModelCall): JobView {
    const run = getRun(this.deps.store, id);
    const cycle = run.cycles.at(-1)!;
    this.calls.set(id, call);
    const job = this.deps.jobs.enqueue(JOB_KIND, { run_id: id, cycle: cycle.index }, run.session_id);
    this.update(id, (r) => {
      r.state = 'queued';
      r.error = null;
      r.job_id = job.id;
      r.key_mode = call.mode === 'byok' ? 'byok' : 'server';
      r.cycles[cycle.index]!.state = 'queued';
      r.cycles[cycle.index]!.error = null;
    });
    this.publishRun(id);
    return job;
  }

  /** The job handler: one cycle, then the next one queued if more were asked for. */
  readonly handle = async (ctx: JobContext): Promise<unknown> => {
    const { run_id: id, cycle } = ctx.job.params as { run_id: string; cycle: number };
    const run = findRun(this.deps.store, id);
    // A job that is not the run's current one (an old job resumed by hand) must not run the cycle twice.
    if (!run || run.job_id !== ctx.job.id || !isRunnable(run.state)) return { skipped: true }; // or an ended (cancelled) run
    try {
      const call = this.calls.get(id) ?? (run.key_mode === 'server' ? this.deps.serverCall(run.model, run.session_id) : null);
      if (!call) throw new AppError(409, 'key_needed', 'This run uses your own key, which Labcoat does not keep. Resume it with your key in Settings.');
      this.calls.set(id, call);
      this.update(id, (r) => {
        r.state = 'running';
        const c = r.cycles[cycle]!;
        c.state = 'running';
        c.started_at ??= this.deps.clock.now();
      });
      this.publishRun(id);
      await runCycle(id, cycle, call, this.deps, ctx);
      this.update(id, (r) => {
        const c = r.cycles[cycle]!;
        c.state = 'done';
        c.step = null;
        c.finished_at = this.deps.clock.now();
        r.pending_cycles = Math.max(0, r.pending_cycles - 1);
        r.state = r.pending_cycles > 0 ? 'queued' : 'idle';
      });
      if (getRun(this.deps.store, id).pending_cycles > 0) this.enqueueNext(id);
      else this.calls.delete(id);
      this.publishRun(id);
      return { run_id: id, cycle };
    } catch (err) {
      this.onCycleError(id, cycle, err, ctx.signal);
      throw err instanceof GoalRefused ? new AppError(422, 'goal_refused', err.message) : err;
    }
  };

  /** Scientist's own hypothesis: it is reviewed and enters the next tournament. */
  addHypothesis(id: string, sessionId: string, draft: Pick<Hypothesis, 'title' | 'statement' | 'rationale' | 'test'>): Hypothesis {
    this.idle(id, sessionId);
    const run = getRun(this.deps.store, id);
    // Each one waiting is reviewed and plays matches next cycle: bounded like the cycle's own hypotheses.
    const waiting = competing(run.hypotheses).filter((h) => h.origin === 'scientist' && !h.entered).length;
    if (waiting >= this.deps.maxWaitingPerCycle)
      throw new AppError(
        409,
        'too_many_waiting',
        `${waiting} of your hypotheses already wait for the next cycle (at most ${this.deps.maxWaitingPerCycle}). Run the next cycle first.`,
      );
    if (run.hypotheses.length >= LIMITS.hypothesesPerRun)
      throw new AppError(409, 'run_full', `This run holds ${LIMITS.hypothesesPerRun} hypotheses, the most one run keeps. Drop some, or start a new run.`);
    const h = newHypothesis(`h_${randomBytes(5).toString('base64url')}`, run.cycles.length, draft, 'scientist');
    this.update(id, (r) => void r.hypotheses.push(h));
    this.emit(id, 'hypothesis', { hypothesis: h });
    return h;
  }

  addReview(id: string, sessionId: string, hypothesisId: string, review: Omit<Hypothesis['reviews'][number], 'id' | 'cycle' | 'by'>): void {
    this.idle(id, sessionId);
    const target = this.hypothesis(id, hypothesisId);
    if (target.reviews.filter((r) => r.by === 'scientist').length >= LIMITS.scientistReviewsPerHypothesis) {
      throw new AppError(409, 'too_many_reviews', `You have written ${LIMITS.scientistReviewsPerHypothesis} reviews of this hypothesis already.`);
    }
    const rec = {
      id: `r_${randomBytes(5).toString('base64url')}`,
      cycle: Math.max(0, getRun(this.deps.store, id).cycles.length - 1),
      by: 'scientist' as const,
      ...review,
    };
    this.update(id, (r) => void r.hypotheses.find((h) => h.id === hypothesisId)!.reviews.push(rec));
    this.emit(id, 'review', { hypothesis_id: hypothesisId, review: rec });
  }

  mark(id: string, sessionId: string, hypothesisId: string, change: { pinned?: boolean | undefined; dropped?: boolean | undefined }): Hypothesis {
    this.idle(id, sessionId);
    this.hypothesis(id, hypothesisId);
    this.update(id, (r) => {
      const h = r.hypotheses.find((x) => x.id === hypothesisId)!;
      if (change.pinned !== undefined) h.pinned = change.pinned;
      if (change.dropped !== undefined) h.dropped = change.dropped;
    });
    const h = this.hypothesis(id, hypothesisId);
    this.emit(id, 'hypothesis_changed', { hypothesis: h });
    return h;
  }

  addNote(id: string, sessionId: string, text: string): void {
    this.idle(id, sessionId);
    if (getRun(this.deps.store, id).notes.length >= LIMITS.notesPerRun)
      throw new AppError(409, 'too_many_notes', `This run has ${LIMITS.notesPerRun} notes, the most it keeps.`);
    const next = getRun(this.deps.store, id).cycles.length;
    this.update(id, (r) => void r.notes.push({ cycle: next, text, at: this.deps.clock.now() }));
    this.emit(id, 'note', { cycle: next, text });
  }

  runs(sessionId: string): ResearchRun[] {
    return sessionRuns(this.deps.store, sessionId);
  }

  /** The estimate for the next `count` cycles of a run (or a new one), from where it stands. */
  estimate(settings: RunSettings, call: ModelCall, goal: string, from: number, count: number, run?: Readonly<ResearchRun>): ResearchEstimate {
    const pool = run ? competing(run.hypotheses) : [];
    const start = run ? { pool: pool.length, waiting: pool.filter((h) => !h.entered).length, screened: run.screening?.allowed === true } : undefined;
    return estimateResearch(settings, this.deps.chainPrice(call), { from, count, goalBytes: Buffer.byteLength(goal, 'utf8'), ...(start ? { start } : {}) });
  }

  private enqueueNext(id: string, estimate?: ResearchEstimate): JobView {
    const run = getRun(this.deps.store, id);
    const index = run.cycles.length;
    const call = this.calls.get(id);
    if (!call) throw new AppError(409, 'key_needed', 'Continue this run with a key: add yours in Settings, or use the Space\u2019s.');
    const plan =
      estimate?.per_cycle.find((c) => c.cycle === index) ?? this.estimate(run.settings, call, run.goal, index, run.pending_cycles, run).per_cycle[0]!;
    const cycle: Cycle = {
      index,
      state: 'queued',
      steps_done: [],
      step: null,
      plan: { calls: plan.calls, calls_max: plan.calls_max, max_usd: plan.max_usd },
      last: run.pending_cycles === 1,
      calls: 0,
      usd: 0,
      started_at: null,
      finished_at: null,
      error: null,
    };
    const job = this.deps.jobs.enqueue(JOB_KIND, { run_id: id, cycle: index }, run.session_id);
    this.update(id, (r) => {
      r.cycles.push(cycle);
      r.state = 'queued';
      r.job_id = job.id;
    });
    this.publishRun(id);
    return job;
  }

  private onCycleError(id: string, cycle: number, err: unknown, signal: AbortSignal): void {
    const reason = signal.aborted ? (signal.reason as { code?: string } | undefined)?.code : undefined;
    if (reason === 'shutting_down') {
      this.update(id, (r) => {
        r.state = 'interrupted';
        r.cycles[cycle]!.state = 'interrupted';
      });
    } else if (signal.aborted) {
      this.settleCancel(id);
    } else if (err instanceof GoalRefused) {
      this.refundUnrun(id, true);
      this.calls.delete(id);
      this.update(id, (r) => {
        r.state = 'refused';
        r.error = { code: 'goal_refused', message: `The goal was declined: ${err.message} Rephrase it as a research question and start a new run.` };
        r.cycles[cycle]!.state = 'failed';
        r.pending_cycles = 0;
      });
    } else {
      this.failCycle(id, cycle, err);
    }
    this.publishRun(id);
  }

  private failCycle(id: string, cycle: number, err: unknown): void {
    const e =
      err instanceof AppError
        ? { code: err.code, message: err.message }
        : { code: 'cycle_failed', message: 'The cycle failed unexpectedly. Resume it to try the unfinished step again.' };
    if (!(err instanceof AppError)) this.deps.logger.error({ err, run: id, cycle }, 'research cycle failed');
    this.update(id, (r) => {
      r.state = 'failed';
      r.error = e;
      const c = r.cycles[cycle]!;
      c.state = 'failed';
      c.error = e;
    });
  }

  /** What is done stays; cycles not started are given back to the session's quota. */
  private settleCancel(id: string): void {
    this.refundUnrun(id, false);
    this.calls.delete(id);
    this.update(id, (r) => {
      const c = r.cycles.at(-1);
      if (c && c.state !== 'done') {
        c.state = 'cancelled';
        c.step = null;
        c.finished_at = this.deps.clock.now();
      }
      r.pending_cycles = 0;
      if (r.state !== 'refused') r.state = 'idle';
    });
    this.publishRun(id);
  }

  /** Cycles counted on the Space's key and never run; the current one counts as run once it started (unless refused). */
  private refundUnrun(id: string, includeCurrent: boolean): void {
    const run = getRun(this.deps.store, id);
    if (run.key_mode !== 'server') return;
    const current = run.cycles.at(-1);
    const started = current !== undefined && current.state !== 'queued' && current.state !== 'cancelled' && current.started_at !== null;
    this.deps.quotas.refundCycles(run.session_id, run.pending_cycles - (started && !includeCurrent ? 1 : 0));
  }

  private owned(id: string, sessionId: string): Readonly<ResearchRun> {
    const run = getRun(this.deps.store, id);
    if (run.session_id !== sessionId)
      throw new AppError(403, 'not_your_run', 'Only the session that started this run can change it; this link opens it read-only.');
    return run;
  }

  private idle(id: string, sessionId: string): void {
    const run = this.owned(id, sessionId);
    if (run.state === 'queued' || run.state === 'running')
      throw new AppError(409, 'run_busy', 'A cycle is running; add hypotheses, reviews and notes between cycles.');
  }

  private hypothesis(id: string, hypothesisId: string): Hypothesis {
    const h = getRun(this.deps.store, id).hypotheses.find((x) => x.id === hypothesisId);
    if (!h) throw new AppError(404, 'hypothesis_not_found', 'This run has no hypothesis with that id.');
    return h;
  }

  private update(id: string, fn: (run: ResearchRun) => void): void {
    updateRun(this.deps.store, id, this.deps.clock.now(), fn);
  }

  private emit(id: string, kind: string, payload: Record<string, unknown>): void {
    this.deps.publisher.publish(`research:${id}`, { type: 'event', kind, ...payload });
  }

  private publishRun(id: string): void {
    const run = getRun(this.deps.store, id);
    const job = run.job_id ? this.deps.jobs.view(run.job_id) : undefined;
    this.deps.publisher.publish(`research:${id}`, {
      type: 'status',
      state: run.state,
      queue_position: job?.queue_position ?? null,
      eta_s: job?.eta_s ?? null,
      cycles: run.cycles.length,
      usage: run.usage,
      error: run.error,
    });
  }
}
