/** What the queue shows: each job's view, places and ETAs, the public summary. Pure. */
import { AppError } from '../errors/app-error.js';
import { estimateStarts } from './eta.js';
import type { JobRecord, JobStats, JobView } from './job-types.js';

/** A kind with no history yet is assumed to take this long, for ETAs. */
const DEFAULT_EXPECTED_MS = 60_000;

export interface ActiveJobs {
  running: JobRecord[];
  queued: JobRecord[];
}

/** A queued job's place in line and when it should start. */
export type QueuePlaces = Map<string, { position: number; eta_s: number }>;

export interface QueueLimits {
  maxConcurrent: number;
  maxQueueSize: number;
}

export interface QueueSnapshot {
  running: number;
  queued: number;
  max_concurrent_jobs: number;
  max_queue_size: number;
  /** Public: kinds, states and places only. Ids are capabilities (they open results), so never listed. */
  jobs: Array<Pick<JobView, 'kind' | 'state' | 'queue_position' | 'eta_s'>>;
}

/** Running and queued jobs, oldest first, in one pass. */
export function activeJobs(jobs: Readonly<Record<string, JobRecord>>): ActiveJobs {
  const running: JobRecord[] = [];
  const queued: JobRecord[] = [];
  for (const j of Object.values(jobs)) {
    if (j.state === 'running') running.push(j);
    else if (j.state === 'queued') queued.push(j);
  }
  const byAge = (a: JobRecord, b: JobRecord) => a.created_at - b.created_at;
  return { running: running.sort(byAge), queued: queued.sort(byAge) };
}

export function queuePlaces({ running, queued }: ActiveJobs, stats: Readonly<Record<string, JobStats>>, now: number, slots: number): QueuePlaces {
  const expected = (kind: string) => stats[kind]?.avg_ms ?? DEFAULT_EXPECTED_MS;
  const starts = estimateStarts({
    now,
    slots,
    running: running.map((j) => ({ started_at: j.started_at ?? now, expected_ms: expected(j.kind) })),
    queued: queued.map((j) => ({ expected_ms: expected(j.kind) })),
  });
  return new Map(queued.map((j, i) => [j.id, { position: i + 1, eta_s: Math.round(((starts[i] ?? now) - now) / 1000) }]));
}

export function jobView(job: Readonly<JobRecord>, places: QueuePlaces): JobView {
  const place = places.get(job.id);
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    queue_position: place?.position ?? null,
    eta_s: place?.eta_s ?? null,
    progress: job.progress,
    created_at: new Date(job.created_at).toISOString(),
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    error: job.error,
    result: job.result,
  };
}

export function queueSnapshot(active: ActiveJobs, places: QueuePlaces, limits: QueueLimits): QueueSnapshot {
  return {
    running: active.running.length,
    queued: active.queued.length,
    max_concurrent_jobs: limits.maxConcurrent,
    max_queue_size: limits.maxQueueSize,
    jobs: [...active.running, ...active.queued].map((j) => ({
      kind: j.kind,
      state: j.state,
      queue_position: places.get(j.id)?.position ?? null,
      eta_s: places.get(j.id)?.eta_s ?? null,
    })),
  };
}

export function queueFullError(maxQueueSize: number): AppError {
  return new AppError(
    503,
    'queue_full',
    `The queue is full (${maxQueueSize} jobs waiting). Try again in a few minutes, or duplicate the Space to get your own queue.`,
    { headers: { 'Retry-After': '60' } },
  );
}
