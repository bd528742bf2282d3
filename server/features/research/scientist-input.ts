/**
 * The scientist's own input between cycles: hypotheses, reviews, pins and drops, notes. Each is
 * bounded, because it reaches the store, the prompts and the call plans.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors/app-error.js';
import type { Publisher } from '../../core/realtime/hub.js';
import { newHypothesis } from './new-hypothesis.js';
import { getRun, ownedRun, updateRun, type ResearchStore } from './run-store.js';
import type { Hypothesis, ResearchPlan, ResearchRun } from './run-types.js';
import { competing } from './steps/ranking.js';

/** Bounds on what one session or the scientist can pile into the store (and into prompts and plans). */
export const LIMITS = { runsPerSession: 20, hypothesesPerRun: 300, notesPerRun: 30, scientistReviewsPerHypothesis: 5 } as const;

export interface ScientistInputDeps {
  store: ResearchStore;
  clock: Clock;
  publisher: Publisher;
  /** The scientist may queue at most this many own hypotheses for one cycle (config max_hypotheses_per_cycle). */
  maxWaitingPerCycle: number;
}

export class ScientistInput {
  constructor(private readonly deps: ScientistInputDeps) {}

  /** Scientist's own hypothesis: it is reviewed and enters the next tournament. */
  addHypothesis(id: string, sessionId: string, draft: Pick<Hypothesis, 'title' | 'statement' | 'rationale' | 'test'>): Hypothesis {
    const run = this.idle(id, sessionId);
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
    // Stamped with the next cycle, like notes: that cycle's generation and meta-review read it.
    const rec = {
      id: `r_${randomBytes(5).toString('base64url')}`,
      cycle: getRun(this.deps.store, id).cycles.length,
      by: 'scientist' as const,
      ...review,
    };
    this.update(id, (r) => void r.hypotheses.find((h) => h.id === hypothesisId)!.reviews.push(rec));
    this.emit(id, 'review', { hypothesis_id: hypothesisId, review: rec });
  }

  mark(
    id: string,
    sessionId: string,
    hypothesisId: string,
    change: { pinned?: boolean | undefined; dropped?: boolean | undefined; safety_cleared?: boolean | undefined },
  ): Hypothesis {
    this.idle(id, sessionId);
    this.hypothesis(id, hypothesisId);
    this.update(id, (r) => {
      const h = r.hypotheses.find((x) => x.id === hypothesisId)!;
      if (change.pinned !== undefined) h.pinned = change.pinned;
      if (change.dropped !== undefined) h.dropped = change.dropped;
      if (change.safety_cleared !== undefined) h.safety_cleared = change.safety_cleared;
    });
    const h = this.hypothesis(id, hypothesisId);
    this.emit(id, 'hypothesis_changed', { hypothesis: h });
    return h;
  }

  /** The scientist's own research plan: every prompt of the next cycles reads it (and the screen never overwrites it). */
  setPlan(id: string, sessionId: string, plan: ResearchPlan): void {
    this.idle(id, sessionId);
    this.update(id, (r) => void (r.plan = plan));
    this.emit(id, 'plan', { plan });
  }

  addNote(id: string, sessionId: string, text: string): void {
    const run = this.idle(id, sessionId);
    if (run.notes.length >= LIMITS.notesPerRun) throw new AppError(409, 'too_many_notes', `This run has ${LIMITS.notesPerRun} notes, the most it keeps.`);
    const next = run.cycles.length;
    this.update(id, (r) => void r.notes.push({ cycle: next, text, at: this.deps.clock.now() }));
    this.emit(id, 'note', { cycle: next, text });
  }

  /** The owner's run, between cycles. */
  private idle(id: string, sessionId: string): Readonly<ResearchRun> {
    const run = ownedRun(this.deps.store, id, sessionId);
    if (run.state === 'queued' || run.state === 'running')
      throw new AppError(409, 'run_busy', 'A cycle is running; add hypotheses, reviews and notes between cycles.');
    return run;
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
}
