import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { JobQueue } from '../../../../server/core/jobs/queue.js';
import type { JobHandler } from '../../../../server/core/jobs/job-types.js';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import type { Publisher } from '../../../../server/core/realtime/hub.js';
import type { ServerMessage } from '../../../../server/core/realtime/messages.js';

import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';

const logger = pino({ level: 'silent' });

/** A handler that runs until the test releases it (or it is aborted). */
function gate() {
  const releases = new Map<string, () => void>();
  const handler: JobHandler = (ctx) =>
    new Promise((resolve, reject) => {
      releases.set(ctx.job.id, () => resolve({ ok: ctx.job.id }));
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    });
  return { handler, release: (id: string) => releases.get(id)?.() };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let store: AppStore;
let clock: FakeClock;
let published: Array<{ topic: string; message: ServerMessage }>;
const publisher: Publisher = { publish: (topic, message) => void published.push({ topic, message }) };

function makeQueue(handlers: Record<string, JobHandler>, limits = { maxConcurrent: 1, maxQueueSize: 2 }) {
  return new JobQueue({ store, publisher, clock, logger, metrics: createMetrics(), handlers, ...limits });
}

beforeEach(async () => {
  dir = await makeTempDir();
  clock = new FakeClock();
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 5, clock, logger });
  published = [];
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

describe('job queue', () => {
  it('runs up to max_concurrent_jobs, queues the rest with positions and ETAs, refuses past max_queue_size', async () => {
    const g = gate();
    const q = makeQueue({ work: g.handler });
    store.update((s) => void (s.job_stats.work = { avg_ms: 30_000, count: 3 }));
    const a = q.enqueue('work', {}, 's1');
    clock.advance(1);
    const b = q.enqueue('work', {}, 's1');
    clock.advance(1);
    const c = q.enqueue('work', {}, 's1');
    expect(a.state).toBe('running');
    expect(q.view(b.id)).toMatchObject({ state: 'queued', queue_position: 1, eta_s: 30 });
    expect(q.view(c.id)).toMatchObject({ state: 'queued', queue_position: 2, eta_s: 60 });
    const full = (() => {
      try {
        q.enqueue('work', {}, 's1');
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(full).toMatchObject({ status: 503, code: 'queue_full' });
    expect(full!.headers['Retry-After']).toBeDefined();

    await tick();
    g.release(a.id);
    await tick();
    expect(q.view(a.id)).toMatchObject({ state: 'done', result: { ok: a.id } });
    expect(q.view(b.id)!.state).toBe('running');
    expect(q.view(c.id)).toMatchObject({ queue_position: 1 });
    const forC = published.filter((p) => p.topic === `job:${c.id}` && p.message.type === 'status');
    expect(forC.map((p) => (p.message as { queue_position: number }).queue_position)).toContain(1);
    expect(published.some((p) => p.topic === 'queue')).toBe(true);
  });

  it('cancels a queued job at once and a running one through its signal', async () => {
    const g = gate();
    const q = makeQueue({ work: g.handler });
    const a = q.enqueue('work', {}, null);
    const b = q.enqueue('work', {}, null);
    expect(q.cancel(b.id).state).toBe('cancelled');
    q.cancel(a.id);
    await tick();
    expect(q.view(a.id)!.state).toBe('cancelled');
    expect(() => q.cancel(a.id)).toThrow(/already ended/);
  });

  it('records a failure with the typed error, or a generic message for unexpected ones', async () => {
    const q = makeQueue(
      {
        typed: async () => {
          throw new AppError(402, 'no_api_key', 'Add a key.');
        },
        bug: async () => {
          throw new TypeError('x is undefined');
        },
      },
      { maxConcurrent: 2, maxQueueSize: 5 },
    );
    const a = q.enqueue('typed', {}, null);
    const b = q.enqueue('bug', {}, null);
    await tick();
    expect(q.view(a.id)).toMatchObject({ state: 'failed', error: { code: 'no_api_key', message: 'Add a key.' } });
    expect(q.view(b.id)).toMatchObject({ state: 'failed', error: { code: 'job_failed' } });
    expect(JSON.stringify(q.view(b.id))).not.toContain('x is undefined');
  });

  it('after a restart marks running jobs interrupted; resume continues from the checkpoint', async () => {
    const first = makeQueue({
      steps: async (ctx) => {
        ctx.checkpoint({ step: 2 });
        ctx.progress(2, 5, 'halfway');
        await new Promise(() => undefined); // the "process" dies here
      },
    });
    const job = first.enqueue('steps', { goal: 'x' }, 's1');
    await tick();
    await store.flush();

    // A new queue over the same store is what a restarted process sees.
    let seen: { resumed: boolean; checkpoint: unknown } | undefined;
    const second = makeQueue({
      steps: async (ctx) => {
        seen = { resumed: ctx.resumed, checkpoint: ctx.job.checkpoint };
        return 'finished';
      },
    });
    second.recover();
    expect(second.view(job.id)).toMatchObject({ state: 'interrupted', progress: { done: 2, total: 5 }, error: { code: 'interrupted' } });
    second.resume(job.id);
    await tick();
    expect(seen).toEqual({ resumed: true, checkpoint: { step: 2 } });
    expect(second.view(job.id)).toMatchObject({ state: 'done', result: 'finished' });
  });

  it('keeps queued jobs queued across a restart and runs them', async () => {
    const g = gate();
    const first = makeQueue({ work: g.handler });
    first.enqueue('work', {}, null);
    const waiting = first.enqueue('work', {}, null);
    const second = makeQueue({ work: async () => 'ran' });
    second.recover();
    await tick();
    expect(second.view(waiting.id)).toMatchObject({ state: 'done', result: 'ran' });
  });

  it('shutdown aborts running jobs and leaves them interrupted (resumable)', async () => {
    const g = gate();
    const q = makeQueue({ work: g.handler });
    const a = q.enqueue('work', {}, null);
    await q.shutdown(1000);
    expect(q.view(a.id)!.state).toBe('interrupted');
    expect(() => q.enqueue('work', {}, null)).toThrow(/restarting/);
  });

  it('prunes jobs that ended long ago and keeps recent and active ones', async () => {
    const g = gate();
    const q = makeQueue({ quick: async () => 'ok', work: g.handler }, { maxConcurrent: 2, maxQueueSize: 5 });
    const old = q.enqueue('quick', {}, null);
    await tick();
    clock.advance(8 * 24 * 3600_000);
    const recent = q.enqueue('quick', {}, null);
    const active = q.enqueue('work', {}, null);
    await tick();
    expect(q.prune(7 * 24 * 3600_000)).toBe(1);
    expect(q.get(old.id)).toBeUndefined();
    expect(q.get(recent.id)?.state).toBe('done');
    expect(q.get(active.id)?.state).toBe('running');
  });

  it('a job that returns normally after a shutdown abort stays interrupted, not cancelled', async () => {
    const q = makeQueue({ stubborn: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => setTimeout(() => resolve('late'), 5))) });
    const a = q.enqueue('stubborn', {}, null);
    await tick();
    await q.shutdown(1000);
    await tick();
    expect(q.view(a.id)!.state).toBe('interrupted');
  });
});
