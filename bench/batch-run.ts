import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestServer, type TestServer } from '../tests/helpers/test-server.js';
import { runTasks } from '../server/features/batch/run-plan.js';
import { curatedSuites } from '../server/features/batch/curated-suites.js';
import { runPool } from '../server/features/batch/pool.js';
import { spawnFakeUpstream } from './fake-upstream-process.js';

const KEY = 'sk-bench-endpoint-0123456789';
// Memory is read after a full collection, so it counts what the run keeps, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * The batch runner against the fake upstream (in its own process): wall time of a run vs the
 * ideal ceil(n / concurrency) × latency and vs the same calls made directly with fetch, the
 * state.json writes it causes, and memory for a big run.
 */
export async function batchRun(opts: { latencyMs: number; concurrency: number; bigPrompts: number }) {
  const paced = await measure({ latencyMs: opts.latencyMs, concurrency: opts.concurrency, suites: 'all' });
  const big = await measure({ latencyMs: 0, concurrency: opts.concurrency, custom: opts.bigPrompts, answerChars: 1200 });
  return { paced, big, idealMs: Math.ceil(paced.total / opts.concurrency) * opts.latencyMs };
}

/** The same prompts streamed straight to the upstream with fetch at the same concurrency: the floor. */
async function direct(url: string, concurrency: number): Promise<number> {
  const tasks = runTasks(curatedSuites(), 1);
  const t = performance.now();
  await runPool(tasks, concurrency, new AbortController().signal, async (task) => {
    const messages = [...(task.prompt.system ? [{ role: 'system', content: task.prompt.system }] : []), { role: 'user', content: task.prompt.prompt }];
    const res = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'test/cheap-model', messages, max_tokens: task.prompt.max_tokens, stream: true }),
    });
    await res.text();
  });
  return performance.now() - t;
}

async function measure(o: { latencyMs: number; concurrency: number; suites?: 'all'; custom?: number; answerChars?: number }) {
  const upstream = await spawnFakeUpstream({ latencyMs: o.latencyMs, answerChars: o.answerChars ?? 0, key: KEY });
  const directMs = o.suites ? await direct(upstream.url, o.concurrency) : null;
  const server = await startTestServer({
    env: { ALLOW_PRIVATE_ENDPOINTS: '1' },
    logLevel: 'silent',
    config: { store: { flush_interval_ms: 200 }, batch: { max_concurrency: 32 } },
  });
  const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
  const post = async (path: string, body: unknown) =>
    (
      await fetch(`${server.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-id': sid },
        body: JSON.stringify(body),
      })
    ).json() as Promise<any>;
  const session = await post('/batch/sessions', { base_url: upstream.url, api_key: KEY, model: 'test/cheap-model' });
  const custom = o.custom
    ? { format: 'csv', text: `id,prompt\n${Array.from({ length: o.custom }, (_, i) => `p-${i},Tell me about item ${i}`).join('\n')}` }
    : undefined;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const writesBefore = server.store.stats().writes;
  const t = performance.now();
  const started = await post('/batch/runs', {
    session_ids: [session.id],
    ...(custom ? { custom_suite: custom } : { suites: o.suites }),
    concurrency: o.concurrency,
    judge: null,
  });
  const id = started.id as string;
  await until(server, id);
  const wallMs = performance.now() - t;
  const run = server.store.data.batch_runs[id]!;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  await server.store.flush();
  const writes = server.store.stats().writes - writesBefore;
  const stateKb = Buffer.byteLength(JSON.stringify(server.store.data)) / 1024;
  const view = (await (await fetch(`${server.url}/api/batch/runs/${id}`, { headers: { 'x-session-id': sid } })).json()) as any;
  await server.close();
  await upstream.close();
  return {
    total: started.total as number,
    wallMs,
    directMs,
    runnerMs: run.finished_at! - run.started_at!,
    writes,
    stateKb,
    keptHeapMb: (heapAfter - heapBefore) / 1024 / 1024,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
    ok: view.metrics[0].overall.succeeded as number,
  };
}

/** Polls the store (same process) so the measurement adds at most a millisecond. */
async function until(server: TestServer, id: string): Promise<void> {
  for (;;) {
    const state = server.store.data.batch_runs[id]?.state;
    if (state && state !== 'queued' && state !== 'running') return;
    await new Promise((r) => setTimeout(r, 1));
  }
}
