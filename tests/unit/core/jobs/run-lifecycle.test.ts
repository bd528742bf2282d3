import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AppError } from '../../../../server/core/errors/app-error.js';
import type { JobsSlice } from '../../../../server/core/jobs/job-types.js';
import { JobQueue } from '../../../../server/core/jobs/queue.js';
import { RunLifecycle, type KindRuns, type RunKind, type RunRecord } from '../../../../server/core/jobs/run-lifecycle.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import type { Publisher } from '../../../../server/core/realtime/hub.js';
import type { ServerMessage } from '../../../../server/core/realtime/messages.js';
import { openStore, type Store } from '../../../../server/core/store/store.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';

const logger = pino({ level: 'silent' });
const tick = () => new Promise((r) => setTimeout(r, 5));

/** A toy run kind: `total` steps, each waiting until the test releases it (or the job is aborted). */
interface ToyRun extends RunRecord {
  owner: string;
  total: number;
  steps_done: number;
  finished_at: number | null;
  note: string | null;
}
type ToyParams = { run_id: string };
type ToyState = JobsSlice & { schema_version: number; toy_runs: Record<string, ToyRun> };
type ToyRuns = KindRuns<'toy_runs', ToyRun, ToyParams>;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let store: Store<ToyState>;
let clock: FakeClock;
let published: Array<{ topic: string; message: ServerMessage }>;
const publisher: Publisher = { publish: (topic, message) => void published.push({ topic, message }) };

const openToyStore = () =>
  openStore<ToyState>({
    dataDir: dir.path,
    flushIntervalMs: 5,
    clock,
    logger,
    document: { empty: () => ({ schema_version: 1, jobs: {}, job_stats: {}, toy_runs: {} }), version: 1, migrations: [] },
  });

beforeEach(async () => {
  dir = await makeTempDir();
  clock = new FakeClock();
  store = await openToyStore();
  published = [];
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

/** A lifecycle with one toy kind over the test's store, as one process would build it. */
function build(opts: { maxConcurrent?: number; maxQueueSize?: number; kind?: Partial<RunKind<'toy_runs', ToyRun, ToyParams>> } = {}) {
  const queue = new JobQueue({
    store,
    publisher,
    clock,
    logger,
    metrics: createMetrics(),
    maxConcurrent: opts.maxConcurrent ?? 1,
    maxQueueSize: opts.maxQueueSize ?? 5,
  });
  const lifecycle = new RunLifecycle({ queue, publisher, clock, logger });
  const waiting = new Map<string, () => void>();
  const release = async (id: string) => {
    await tick();
    waiting.get(id)?.();
    await tick();
  };
  let runs: ToyRuns;
  const kind: RunKind<'toy_runs', ToyRun, ToyParams> = {
    job: 'toy',
    slice: 'toy_runs',
    routes: 'POST /toy/:id/cancel',
    owner: (r) => r.owner,
    topic: (r) => `toy:${r.id}`,
    statusFields: (r) => ({ done: r.steps_done, total: r.total }),
    steps: async (run, _params, ctx) => {
      runs.update(run.id, (r) => void (r.state = 'running'));
      for (let i = run.steps_done; i < run.total; i++) {
        await new Promise<void>((resolve, reject) => {
          waiting.set(run.id, resolve);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        });
        runs.update(run.id, (r) => void r.steps_done++);
      }
      runs.update(run.id, (r) => void (r.state = 'done'));
      runs.publish(run.id);
      return { steps: run.total };
    },
    settleCancel: (id) =>
      runs.update(id, (r) => {
        r.state = 'cancelled';
        r.finished_at = clock.now();
      }),
    onInterrupted: (r) => void (r.note = 'interrupted'),
    onFailed: (r) => void (r.finished_at = clock.now()),
    unexpected: { code: 'toy_failed', message: 'The toy failed.' },
    completeCutOff: (r) => {
      if (r.steps_done < r.total) return false;
      r.state = 'done';
      return true;
    },
    ...opts.kind,
  };
  runs = lifecycle.register(kind, store);
  return { queue, lifecycle, runs, release };
}

let seq = 0;
function toy(owner = 's1', total = 2): ToyRun {
  const now = clock.now();
  return {
    id: `toy_${++seq}`,
    owner,
    state: 'queued',
    job_id: null,
    error: null,
    created_at: now,
    updated_at: now,
    total,
    steps_done: 0,
    finished_at: null,
    note: null,
  };
}

function start(runs: ToyRuns, run = toy()) {
  const job = runs.create(run, (id) => runs.enqueue(id, { run_id: id }));
  return { id: run.id, job };
}

const statuses = (id: string) => published.filter((p) => p.topic === `toy:${id}` && p.message.type === 'status').map((p) => p.message);

describe('run life cycle', () => {
  it('creates a run with its job, publishes its status with queue place, and runs its steps to the end', async () => {
    const { runs, release } = build();
    const a = start(runs);
    clock.advance(1);
    const b = start(runs);
    await tick();
    expect(runs.find(a.id)).toMatchObject({ state: 'running', job_id: a.job.id });
    expect(statuses(b.id).at(-1)).toMatchObject({ state: 'queued', queue_position: 1, done: 0, total: 2, error: null });
    await release(a.id);
    await release(a.id);
    expect(runs.find(a.id)).toMatchObject({ state: 'done', steps_done: 2 });
    expect(statuses(a.id).at(-1)).toMatchObject({ state: 'done', queue_position: null, done: 2 });
    await tick();
    expect(runs.find(b.id)!.state).toBe('running'); // the queue moved on
  });

  it('rolls a new run back when the queue is full: no run is left that could never start', async () => {
    const { runs } = build({ maxConcurrent: 1, maxQueueSize: 1 });
    start(runs);
    start(runs);
    const third = toy();
    expect(() => start(runs, third)).toThrow(expect.objectContaining({ status: 503, code: 'queue_full' }));
    expect(runs.find(third.id)).toBeUndefined();
    expect(Object.keys(store.data.jobs)).toHaveLength(2);
    await store.flush();
    await store.close();
    store = await openToyStore(); // what a restart reads
    expect(Object.keys(store.data.toy_runs)).toHaveLength(2);
    expect(store.data.toy_runs[third.id]).toBeUndefined();
  });

  it('cancels a queued run at once, and a running one when its steps stop, keeping what they did', async () => {
    const { runs, queue, release } = build();
    const a = start(runs);
    const b = start(runs);
    runs.cancel(b.id);
    expect(runs.find(b.id)!.state).toBe('cancelled');
    expect(queue.get(b.job.id)!.state).toBe('cancelled');
    await release(a.id);
    runs.cancel(a.id);
    expect(runs.find(a.id)!.state).toBe('running'); // its step is still winding down
    await tick();
    expect(runs.find(a.id)).toMatchObject({ state: 'cancelled', steps_done: 1 });
    expect(queue.get(a.job.id)!.state).toBe('cancelled');
    expect(statuses(a.id).at(-1)).toMatchObject({ state: 'cancelled', done: 1 });
  });

  it('settles a cancel at once when the kind says so', async () => {
    const { runs } = build({ kind: { cancelsAtOnce: true } });
    const a = start(runs);
    await tick();
    runs.cancel(a.id);
    expect(runs.find(a.id)!.state).toBe('cancelled');
  });

  it('resumes a stopped run with a new job that continues from what is stored; the old job never runs it', async () => {
    const { runs, queue, release } = build();
    const a = start(runs);
    await release(a.id);
    runs.cancel(a.id);
    await tick();
    const again = runs.resume(a.id, { run_id: a.id }, (r) => void (r.finished_at = null));
    expect(again.id).not.toBe(a.job.id);
    await tick();
    expect(runs.find(a.id)).toMatchObject({ state: 'running', job_id: again.id, finished_at: null, steps_done: 1 });
    await release(a.id);
    expect(runs.find(a.id)).toMatchObject({ state: 'done', steps_done: 2 });
    // The old job, resumed by hand through the queue, finds it is no longer the run's job.
    store.update((s) => void (s.jobs[a.job.id]!.state = 'interrupted'));
    queue.resume(a.job.id);
    await tick();
    expect(queue.get(a.job.id)).toMatchObject({ state: 'done', result: { skipped: true } });
  });

  it('after a restart, in one call: cut-off runs interrupted (or done when nothing was left), queued ones run', async () => {
    const first = build({ maxConcurrent: 2 });
    const cut = start(first.runs);
    const finishedSteps = start(first.runs, toy('s1', 1));
    await first.release(cut.id); // one step of two done
    store.update((s) => void (s.toy_runs[finishedSteps.id]!.steps_done = 1)); // its last step landed, then the crash
    clock.advance(1);
    const waiting = start(first.runs);
    expect(first.runs.find(waiting.id)!.state).toBe('queued');
    await store.flush();

    // A new queue and lifecycle over the same store: what the restarted process builds.
    const second = build({ maxConcurrent: 2 });
    second.lifecycle.recover();
    await tick();
    expect(second.runs.find(cut.id)).toMatchObject({ state: 'interrupted', note: 'interrupted', steps_done: 1 });
    expect(second.queue.get(cut.job.id)!.state).toBe('interrupted');
    expect(second.runs.find(finishedSteps.id)!.state).toBe('done');
    expect(second.runs.find(waiting.id)!.state).toBe('running'); // its job stayed queued and started
    expect(() => second.lifecycle.register({ job: 'late' } as RunKind<'toy_runs', ToyRun, ToyParams>, store)).toThrow(/after recovery/);

    second.runs.resume(cut.id, { run_id: cut.id });
    await second.release(cut.id);
    expect(second.runs.find(cut.id)).toMatchObject({ state: 'done', steps_done: 2 });
  });

  it('interrupts running runs on shutdown; they stay resumable', async () => {
    const { runs, queue } = build();
    const a = start(runs);
    await tick();
    await queue.shutdown(1000);
    expect(runs.find(a.id)).toMatchObject({ state: 'interrupted', note: 'interrupted' });
    expect(statuses(a.id).at(-1)).toMatchObject({ state: 'interrupted' });
  });

  it('fails a run with the typed error, a generic one for a bug, or lets the kind settle its own', async () => {
    let thrown: unknown;
    const own = new AppError(422, 'declined', 'Declined.');
    const { runs, queue } = build({
      maxConcurrent: 3,
      kind: {
        steps: async () => {
          throw thrown;
        },
        settleOwnError: (id, err) => {
          if (err !== 'mine') return undefined;
          runs.update(id, (r) => void (r.state = 'refused'));
          return own;
        },
      },
    });
    thrown = new AppError(402, 'no_api_key', 'Add a key.');
    const typed = start(runs);
    await tick();
    thrown = new TypeError('x is undefined');
    const bug = start(runs);
    await tick();
    thrown = 'mine';
    const refused = start(runs);
    await tick();
    expect(runs.find(typed.id)).toMatchObject({ state: 'failed', error: { code: 'no_api_key' }, finished_at: expect.any(Number) });
    expect(runs.find(bug.id)).toMatchObject({ state: 'failed', error: { code: 'toy_failed', message: 'The toy failed.' } });
    expect(JSON.stringify(runs.find(bug.id))).not.toContain('x is undefined');
    expect(runs.find(refused.id)!.state).toBe('refused');
    expect(queue.get(refused.job.id)).toMatchObject({ state: 'failed', error: { code: 'declined' } });
  });

  it('prunes: an owner keeps its newest runs (active ones stay), and old finished jobs are forgotten', async () => {
    const { runs, lifecycle, release } = build({ maxConcurrent: 1, maxQueueSize: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = start(runs, toy('s1', 1));
      await release(r.id);
      ids.push(r.id);
      clock.advance(1);
    }
    const active = start(runs, toy('s1', 1));
    const other = start(runs, toy('s2', 1));
    runs.keepNewest('s1', 2);
    expect(runs.list('s1').map((r) => r.id)).toEqual([active.id, ids[2]]);
    expect(runs.list('s2')).toHaveLength(1);
    await release(active.id);
    await release(other.id);
    clock.advance(8 * 24 * 3600_000);
    expect(lifecycle.prune(7 * 24 * 3600_000)).toBe(5);
    expect(Object.keys(store.data.jobs)).toHaveLength(0);
  });

  it('names the routes that own a kind’s jobs, and none for a plain job', () => {
    const { lifecycle } = build();
    expect(lifecycle.routesFor('toy')).toBe('POST /toy/:id/cancel');
    expect(lifecycle.routesFor('plain')).toBeUndefined();
  });
});
