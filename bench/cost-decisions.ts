import { pino } from 'pino';
import { randomBytes } from 'node:crypto';
import { Ledger } from '../server/core/accounting/ledger.js';
import { Quotas } from '../server/core/policy/quotas.js';

import { systemClock } from '../server/core/clock.js';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { startFakeUpstream } from '../tests/helpers/fake-upstream.js';
import { startTestServer } from '../tests/helpers/test-server.js';
import { percentile } from './stats.js';
import { openAppStore } from '../server/app-state.js';

const logger = pino({ level: 'silent' });

/**
 * What the cost rules add to one server-key call: quota admission, reservation and settlement,
 * against a real store, with many sessions, addresses and calls in flight.
 */
export async function costDecisions(n = 100_000) {
  const dir = await makeTempDir('labcoat-bench-');
  const store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 250, clock: systemClock, logger });
  const quotas = new Quotas({
    store,
    clock: systemClock,
    ipHashKey: randomBytes(32),
    wayOut: '',
    limits: { cyclesPerSession: 1e9, requestsPerSession: 1e9, requestsPerHourPerIp: 1e9 },
  });
  const ledger = new Ledger({ store, clock: systemClock, logger, capUsd: 1e6, alertFraction: 0.99, wayOut: '' });
  const booking = (i: number) => ({ model: `m/${i % 10}`, session: `s${i % 1000}`, key: null });
  // 1,000 calls stay in flight the whole time, as under heavy load.
  const inFlight = Array.from({ length: 1000 }, (_, i) => ledger.reserve(0.001, booking(i)));
  const us: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    quotas.admit(`s${i % 1000}`, `10.0.${(i >> 8) & 255}.${i & 255}`, { requests: 1, cycles: 0 });
    const r = ledger.reserve(0.0001, booking(i));
    ledger.settle(r, { usd: 0.00005, tokens_in: 100, tokens_out: 50 }, booking(i));
    us.push((performance.now() - t) * 1000);
  }
  for (const r of inFlight) ledger.settle(r, { usd: 0, tokens_in: 0, tokens_out: 0 }, booking(0));
  await store.close();
  await dir.cleanup();
  return { n, p50Us: percentile(us, 50), p99Us: percentile(us, 99) };
}

/** A model call through Labcoat's POST /api/chat (every gate on) versus the same call straight to the upstream. */
export async function chatRouteOverhead(calls = 1000) {
  const up = await startFakeUpstream();
  const server = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-bench-0123456789', LLM_BASE_URL: up.url },
    logLevel: 'silent',
    config: {
      cost_control: {
        allowed_models: { development: ['openai/gpt-4o-mini'] },
        tiers: { anonymous: 'all_allowed' },
        per_session_limit_requests: 100_000,
        requests_per_hour_per_ip: 1_000_000,
        daily_spending_limit_usd: 10_000,
      },
      llm: { cache_entries: 0 },
    },
  });
  const body = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 50 };
  const post = async (url: string, extra: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0123456789', ...extra },
      body: JSON.stringify(body),
    });
    await res.json();
  };
  const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
  const direct = () => post(`${up.url}/chat/completions`);
  // Without Authorization the call goes on the server key: quotas, reservation and settlement all run.
  const ours = async () => {
    const res = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': session },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.json();
  };
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  for (let i = 0; i < 200; i++) await Promise.all([direct(), ours()]);
  const d: number[] = [];
  const o: number[] = [];
  for (let i = 0; i < calls; i++) {
    d.push(await time(direct));
    o.push(await time(ours));
  }
  await server.close();
  await up.close();
  return { direct: { p50: percentile(d, 50), p99: percentile(d, 99) }, ours: { p50: percentile(o, 50), p99: percentile(o, 99) } };
}
