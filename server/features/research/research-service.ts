/**
 * Research runs: start, run cycles as queued jobs, cancel, resume (the life cycle is the core's;
 * the scientist's input between cycles is in scientist-input.ts). Keys never reach the store: the
 * call target of a run lives in memory, and a run on a visitor's own key needs that key again to
 * resume after a restart.
 */
import { randomBytes } from 'node:crypto';
import type { ModelCall } from '../../core/accounting/metered-llm.js';
import type { Price } from '../../core/accounting/pricing.js';
import { AppError } from '../../core/errors/app-error.js';
import type { JobContext, JobView } from '../../core/jobs/job-types.js';
import type { KindRuns, RunKind, RunLifecycle } from '../../core/jobs/run-lifecycle.js';
import type { Quotas } from '../../core/policy/quotas.js';
import { GoalRefused, runCycle, type CycleDeps } from './cycle-runner.js';
import { estimateResearch, type ResearchEstimate } from './estimate.js';
import type { LiteraturePlan } from './call-plan.js';
import { getRun, ownedRun } from './run-store.js';
import type { Cycle, ResearchRun, RunSettings } from './run-types.js';
import { LIMITS, ScientistInput } from './scientist-input.js';
import { competing } from './steps/ranking.js';
import { hasInput, inputFor } from './steps/screen-input.js';

export const JOB_KIND = 'research-cycle';

type CycleParams = { run_id: string; cycle: number };

export interface ResearchServiceDeps extends CycleDeps {
  runs: RunLifecycle;
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
  /** The scientist's hypotheses, reviews, marks and notes between cycles. */
  readonly input: ScientistInput;
  /** Call targets (keys included) of runs with cycles to go; never persisted, dropped when a run stops. */
  private readonly calls = new Map<string, ModelCall>();
  private readonly runs: KindRuns<'research_runs', ResearchRun, CycleParams>;

  constructor(private readonly deps: ResearchServiceDeps) {
    this.input = new ScientistInput(deps);
    this.runs = deps.runs.register(this.kind(), deps.store);
  }

  start(req: StartRequest): { run: ResearchRun; job: JobView; estimate: ResearchEstimate } {
    if (this.runs.list(req.sessionId).length >= LIMITS.runsPerSession) {
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
      key_mode: keyMode(req.call),
      settings: req.settings,
      state: 'queued',
      error: null,
      screening: null,
      plan: null,
      cycles: [],
      hypotheses: [],
      matches: [],
      meta_reviews: [],
      overview: null,
      literature: this.deps.literature ? { records: [], queries: [], notices: [], sources: this.deps.literature.library.sources } : null,
      notes: [],
      usage: { calls: 0, usd: 0 },
      pending_cycles: req.settings.cycles,
      job_id: null,
    };
    this.calls.set(id, req.call);
    try {
      const job = this.runs.create(run, () => this.enqueueNext(id, estimate));
      return { run: getRun(this.deps.store, id), job, estimate };
    } catch (err) {
      this.calls.delete(id); // the run is gone again (queue full, shutting down)
      throw err;
    }
  }

  /** Checks before counting anything: the owner asks, and the run can take more cycles. */
  assertCanContinue(id: string, sessionId: string): Readonly<ResearchRun> {
    const run = ownedRun(this.deps.store, id, sessionId);
    if (run.state !== 'idle')
      throw new AppError(409, 'run_busy', `This run is ${run.state}; wait for it to finish, or cancel it, before asking for more cycles.`);
    return run;
  }

  /** More cycles on an idle run, paid by whoever asks now. */
  more(id: string, call: ModelCall, count: number): { job: JobView; estimate: ResearchEstimate } {
    const run = getRun(this.deps.store, id);
    const estimate = this.estimate(run.settings, call, run.goal, run.cycles.length, count, run);
    this.calls.set(id, call);
    this.runs.update(id, (r) => {
      r.pending_cycles = count;
      r.error = null;
      r.key_mode = keyMode(call);
    });
    try {
      return { job: this.enqueueNext(id, estimate), estimate };
    } catch (err) {
      this.runs.update(id, (r) => void (r.pending_cycles = 0));
      throw err;
    }
  }

  cancel(id: string, sessionId: string): ResearchRun {
    ownedRun(this.deps.store, id, sessionId);
    this.runs.cancel(id);
    return getRun(this.deps.store, id);
  }

  /** Checks before counting anything: the owner asks, and the run has a cycle to continue. */
  assertResumable(id: string, sessionId: string): Readonly<ResearchRun> {
    const run = ownedRun(this.deps.store, id, sessionId);
    if (run.state !== 'interrupted' && run.state !== 'failed')
      throw new AppError(409, 'not_resumable', `Only an interrupted or failed run can be resumed; this one is ${run.state}.`);
    if (!run.cycles.at(-1)) throw new AppError(409, 'not_resumable', 'This run has no cycle to resume.');
    return run;
  }

  /** Continues an interrupted or failed cycle from its last finished step, paid by whoever asks now. */
  resume(id: string, call: ModelCall): JobView {
    const cycle = getRun(this.deps.store, id).cycles.at(-1)!.index;
    this.calls.set(id, call);
    return this.runs.resume(id, { run_id: id, cycle }, (r) => {
      r.key_mode = keyMode(call);
      r.cycles[cycle]!.state = 'queued';
      r.cycles[cycle]!.error = null;
    });
  }

  /** A run by id (404 run_not_found when there is none). */
  get(id: string): Readonly<ResearchRun> {
    return getRun(this.deps.store, id);
  }

  list(sessionId: string): ResearchRun[] {
    return this.runs.list(sessionId);
  }

  /** Queries and lookups each cycle plans for; null with literature off. */
  get literaturePlan(): LiteraturePlan | null {
    const lit = this.deps.literature;
    return lit ? { queries: lit.queriesPerCycle, lookups: lit.lookupsPerCycle } : null;
  }

  /** The estimate for the next `count` cycles of a run (or a new one), from where it stands. */
  estimate(settings: RunSettings, call: ModelCall, goal: string, from: number, count: number, run?: Readonly<ResearchRun>): ResearchEstimate {
    const pool = run ? competing(run.hypotheses) : [];
    const input = run && hasInput(run, from) ? { input: { hypotheses: inputFor(run, from).hypotheses.length } } : {};
    const start = run ? { pool: pool.length, waiting: pool.filter((h) => !h.entered).length, screened: run.screening?.allowed === true, ...input } : undefined;
    // A run started with literature off stays without it (its prompts have no excerpts to cite).
    const literature = run && run.literature === null ? null : this.literaturePlan;
    return estimateResearch(settings, this.deps.chainPrice(call), {
      from,
      count,
      goalBytes: Buffer.byteLength(goal, 'utf8'),
      literature,
      ...(start ? { start } : {}),
    });
  }

  /** Research runs as a run kind: a job per cycle, and the marks of a cycle that stops early. */
  private kind(): RunKind<'research_runs', ResearchRun, CycleParams> {
    return {
      job: JOB_KIND,
      slice: 'research_runs',
      routes: 'POST /api/research/runs/:id/cancel or /resume',
      owner: (run) => run.session_id,
      topic: (run) => `research:${run.id}`,
      statusFields: (run) => ({ cycles: run.cycles.length, usage: run.usage }),
      steps: (run, params, ctx) => this.cycle(run, params, ctx),
      // What is done stays, and the unrun cycles go back to the quota now, even while the cycle winds down.
      cancelsAtOnce: true,
      settleCancel: (id) => this.settleCancel(id),
      onInterrupted: (run) => {
        const c = run.cycles.at(-1);
        if (c && (c.state === 'running' || c.state === 'queued')) c.state = 'interrupted';
      },
      onFailed: (run, error, { cycle }) => {
        run.cycles[cycle]!.state = 'failed';
        run.cycles[cycle]!.error = error;
      },
      unexpected: { code: 'cycle_failed', message: 'The cycle failed unexpectedly. Resume it to try the unfinished step again.' },
      settleOwnError: (id, err, { cycle }) => (err instanceof GoalRefused ? this.refuse(id, cycle, err) : undefined),
    };
  }

  /** The job's steps: one cycle, then the next one queued if more were asked for. */
  private async cycle(run: Readonly<ResearchRun>, { cycle }: CycleParams, ctx: JobContext): Promise<unknown> {
    const id = run.id;
    const call = this.calls.get(id) ?? (run.key_mode === 'server' ? this.deps.serverCall(run.model, run.session_id) : null);
    if (!call) throw new AppError(409, 'key_needed', 'This run uses your own key, which Labcoat does not keep. Resume it with your key in Settings.');
    this.calls.set(id, call);
    this.runs.update(id, (r) => {
      r.state = 'running';
      const c = r.cycles[cycle]!;
      c.state = 'running';
      c.started_at ??= this.deps.clock.now();
    });
    this.runs.publish(id);
    await runCycle(id, cycle, call, this.deps, ctx);
    this.runs.update(id, (r) => {
      const c = r.cycles[cycle]!;
      c.state = 'done';
      c.step = null;
      c.finished_at = this.deps.clock.now();
      r.pending_cycles = Math.max(0, r.pending_cycles - 1);
      r.state = r.pending_cycles > 0 ? 'queued' : 'idle';
    });
    if (getRun(this.deps.store, id).pending_cycles > 0) this.enqueueNext(id);
    else this.calls.delete(id);
    this.runs.publish(id);
    return { run_id: id, cycle };
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
      plan: { calls: plan.calls, calls_max: plan.calls_max, max_usd: plan.max_usd, lookups_max: plan.lookups_max },
      last: run.pending_cycles === 1,
      calls: 0,
      usd: 0,
      lookups: 0,
      started_at: null,
      finished_at: null,
      error: null,
    };
    return this.runs.enqueue(id, { run_id: id, cycle: index }, (r) => void r.cycles.push(cycle));
  }

  /** A declined goal: the run ends refused, and every cycle it asked for goes back to the quota. */
  private refuse(id: string, cycle: number, err: GoalRefused): AppError {
    this.refundUnrun(id, true);
    this.calls.delete(id);
    this.runs.update(id, (r) => {
      r.state = 'refused';
      r.error = { code: 'goal_refused', message: `The goal was declined: ${err.message} Rephrase it as a research question and start a new run.` };
      r.cycles[cycle]!.state = 'failed';
      r.pending_cycles = 0;
    });
    return new AppError(422, 'goal_refused', err.message);
  }

  /** What is done stays; cycles not started are given back to the session's quota. */
  private settleCancel(id: string): void {
    this.refundUnrun(id, false);
    this.calls.delete(id);
    this.runs.update(id, (r) => {
      const c = r.cycles.at(-1);
      if (c && c.state !== 'done') {
        c.state = 'cancelled';
        c.step = null;
        c.finished_at = this.deps.clock.now();
      }
      r.pending_cycles = 0;
      if (r.state !== 'refused') r.state = 'idle';
    });
  }

  /** Cycles counted on the Space's key and never run; the current one counts as run once it started (unless refused). */
  private refundUnrun(id: string, includeCurrent: boolean): void {
    const run = getRun(this.deps.store, id);
    if (run.key_mode !== 'server') return;
    const current = run.cycles.at(-1);
    const started = current !== undefined && current.state !== 'queued' && current.state !== 'cancelled' && current.started_at !== null;
    this.deps.quotas.refundCycles(run.session_id, run.pending_cycles - (started && !includeCurrent ? 1 : 0));
  }
}

const keyMode = (call: ModelCall): ResearchRun['key_mode'] => (call.mode === 'byok' ? 'byok' : 'server');
