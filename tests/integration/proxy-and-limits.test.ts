import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

async function ipSeen(server: TestServer, forwardedFor: string): Promise<string> {
  const id = (await fetch(`${server.url}/api/config`, { headers: { 'x-forwarded-for': forwardedFor } })).headers.get('x-request-id')!;
  const line = await vi.waitFor(() => {
    const found = server.logs.find((l) => l.includes(id) && l.includes('request completed'));
    if (!found) throw new Error('request not logged yet');
    return found;
  });
  return JSON.parse(line).ip as string;
}

describe('client IPs and the baseline rate limit', () => {
  it('ignores X-Forwarded-For locally (cannot be spoofed)', async () => {
    srv = await startTestServer();
    expect(await ipSeen(srv, '203.0.113.9')).toBe('127.0.0.1');
  });

  it('trusts one proxy hop when running as a Space', async () => {
    srv = await startTestServer({ env: { SPACE_ID: 'me/lab', SPACE_HOST: 'me-lab.hf.space' } });
    expect(await ipSeen(srv, '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('answers 429 rate_limited with Retry-After past the per-minute limit', async () => {
    srv = await startTestServer({ config: { server: { rate_limit_per_minute: 3 } } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${srv.url}/api/config`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('sets cross-site cookie attributes for the Space iframe', async () => {
    srv = await startTestServer({ env: { SPACE_ID: 'me/lab', SPACE_HOST: 'me-lab.hf.space' } });
    const res = await fetch(`${srv.url}/api/config`);
    expect(res.headers.get('set-cookie')).toContain('SameSite=None; Secure; Partitioned');
    expect(((await res.json()) as { space: unknown }).space).toEqual({
      id: 'me/lab',
      url: 'https://huggingface.co/spaces/me/lab',
      duplicate_url: 'https://huggingface.co/spaces/me/lab?duplicate=true',
    });
  });

  it('never puts the server key in a response or a log line', async () => {
    const key = 'sk-or-v1-THISMUSTNOTLEAK0123456789';
    srv = await startTestServer({ env: { OPENROUTER_API_KEY: key, ADMIN_TOKEN: 'admintokenadmintokenadmintoken' } });
    const bodies = await Promise.all(['/api/config', '/health', '/metrics', '/'].map(async (p) => (await fetch(`${srv!.url}${p}`)).text()));
    await fetch(`${srv.url}/api/config`, { headers: { authorization: `Bearer ${key}` } });
    await new Promise((r) => setTimeout(r, 20));
    for (const text of [...bodies, ...srv.logs]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain('admintokenadmintoken');
    }
    expect(JSON.parse(bodies[0]!).mode).toBe('inference');
  });
});
