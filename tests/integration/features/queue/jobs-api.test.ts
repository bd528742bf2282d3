import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobHandler } from '../../../../server/core/jobs/job-types.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';

let srv: TestServer;
const handlers: Record<string, JobHandler> = {
  // Runs until cancelled, reporting progress: a stand-in for a research cycle.
  long: (ctx) =>
    new Promise((_resolve, reject) => {
      ctx.progress(1, 10, 'working');
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    }),
};

beforeAll(async () => {
  srv = await startTestServer({ jobHandlers: handlers, config: { deployment: { max_concurrent_jobs: 1, max_queue_size: 1 } } });
});
afterAll(() => srv.close());

async function session(): Promise<{ token: string; id: string }> {
  const token = (await fetch(`${srv.url}/api/config`)).headers.get('x-session-id')!;
  return { token, id: token.split('.')[0]! };
}

describe('jobs over HTTP', () => {
  it('shows the queue, lets the owner cancel, refuses other sessions, and 503s past the queue limit', async () => {
    const owner = await session();
    const stranger = await session();
    const running = srv.app.jobs.enqueue('long', {}, owner.id);
    const waiting = srv.app.jobs.enqueue('long', {}, owner.id);
    expect(() => srv.app.jobs.enqueue('long', {}, owner.id)).toThrow(expect.objectContaining({ status: 503, code: 'queue_full' }));

    const queue = (await (await fetch(`${srv.url}/api/queue`)).json()) as { running: number; queued: number; jobs: Array<Record<string, unknown>> };
    expect(queue).toMatchObject({ running: 1, queued: 1 });
    expect(queue.jobs).toEqual([
      { kind: 'long', state: 'running', queue_position: null, eta_s: null },
      { kind: 'long', state: 'queued', queue_position: 1, eta_s: expect.any(Number) },
    ]);
    expect(JSON.stringify(queue)).not.toContain(waiting.id); // ids open results: never listed publicly

    const job = (await (await fetch(`${srv.url}/api/jobs/${running.id}`)).json()) as { state: string; progress: unknown };
    expect(job).toMatchObject({ state: 'running', progress: { done: 1, total: 10, message: 'working' } });

    const denied = await fetch(`${srv.url}/api/jobs/${running.id}/cancel`, { method: 'POST', headers: { 'x-session-id': stranger.token } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('not_your_job');

    const cancelled = await fetch(`${srv.url}/api/jobs/${running.id}/cancel`, { method: 'POST', headers: { 'x-session-id': owner.token } });
    expect(cancelled.status).toBe(200);
    await vi.waitFor(() => expect(srv.app.jobs.view(running.id)!.state).toBe('cancelled'));
    expect(srv.app.jobs.view(waiting.id)!.state).toBe('running');

    const resume = await fetch(`${srv.url}/api/jobs/${running.id}/resume`, { method: 'POST', headers: { 'x-session-id': owner.token } });
    expect(resume.status).toBe(409);
    expect(((await resume.json()) as { error: { code: string } }).error.code).toBe('not_interrupted');
    srv.app.jobs.cancel(waiting.id);
  });
});
