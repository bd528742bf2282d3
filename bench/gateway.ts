import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { spawnFakeUpstream } from './fake-upstream-process.js';
import { percentile } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN = 'bench-admin-token-0123456789';
const SERVER_KEY = 'sk-bench-0123456789';
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini';
/** What the fake upstream lists as its catalog: the two models the benchmark calls, priced as OpenRouter prices them. */
const MODELS = [
  { id: FREE, pricing: { prompt: '0', completion: '0' } },
  { id: PAID, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
];

export interface GatewayBench {
  model: string;
  direct: { p50: number; p99: number; ttft: number; rps: number };
  gateway: { p50: number; p99: number; ttft: number; rps: number };
}

/**
 * The gateway's overhead over calling the upstream directly, in one run, with three processes as
 * in production: the fake upstream, Labcoat as `npm start` runs it (dist/, shipped config.yaml,
 * logging at `info` unless told otherwise) and this process as the load generator. Sequential
 * latency, time to the first streamed token, and requests per second at 50 concurrent; for a free
 * model (no reservation) and a paid one (reserve, journal, settle).
 */
export async function gatewayOverhead(
  opts: { calls?: number; concurrentMs?: number; logLevel?: string; models?: string[]; nodeArgs?: string[] } = {},
): Promise<GatewayBench[]> {
  const { calls = 1000, concurrentMs = 3000, logLevel = 'info', models = [FREE, PAID], nodeArgs = [] } = opts;
  const fake = await spawnFakeUpstream({ models: MODELS });
  const upstream = fake.url;
  const data = await makeTempDir('labcoat-bench-gateway-');
  const port = await freePort(); // the server's own log line may be off (logLevel silent)
  const server = spawn(process.execPath, [...nodeArgs, 'dist/server/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: data.path,
      DEPLOYMENT_ENV: 'development',
      LOG_LEVEL: logLevel,
      LLM_BASE_URL: upstream,
      OPENROUTER_API_KEY: SERVER_KEY,
      ADMIN_TOKEN: ADMIN,
      LABCOAT__COST_CONTROL__DAILY_SPENDING_LIMIT_USD: '100000',
      LABCOAT__LLM__CACHE_ENTRIES: '0',
    },
  });
  server.stdout!.resume(); // the request log goes on; it must not block the server
  const base = `http://127.0.0.1:${port}`;
  try {
    await catalogLoaded(base);
    const created = await fetch(`${base}/admin/api/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ name: 'bench', rpm: 100_000, max_concurrent: 1000, daily_usd: null }),
    });
    const { key } = (await created.json()) as { key: string };
    const measure = async (model: string): Promise<GatewayBench> => {
      const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 50 });
      const streamBody = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 50, stream: true });
      const direct = (b: string) =>
        fetch(`${upstream}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVER_KEY}` },
          body: b,
        });
      const gateway = (b: string) =>
        fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: b });
      for (let i = 0; i < 1000; i++) await Promise.all([full(() => direct(body)), full(() => gateway(body)), firstToken(() => gateway(streamBody))]);
      const d: number[] = [];
      const g: number[] = [];
      const dt: number[] = [];
      const gt: number[] = [];
      for (let i = 0; i < calls; i++) {
        d.push(await full(() => direct(body)));
        g.push(await full(() => gateway(body)));
        if (i % 4 === 0) {
          dt.push(await firstToken(() => direct(streamBody)));
          gt.push(await firstToken(() => gateway(streamBody)));
        }
      }
      const directRps = await rps(() => direct(body), concurrentMs);
      const gatewayRps = await rps(() => gateway(body), concurrentMs);
      return {
        model,
        direct: { p50: percentile(d, 50), p99: percentile(d, 99), ttft: percentile(dt, 50), rps: directRps },
        gateway: { p50: percentile(g, 50), p99: percentile(g, 99), ttft: percentile(gt, 50), rps: gatewayRps },
      };
    };
    const results: GatewayBench[] = [];
    for (const model of models) results.push(await measure(model));
    return results;
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    await fake.close();
    await data.cleanup();
  }
}

/** Once listening, and once the live list (from the fake upstream) has replaced the snapshot: the paid model's price comes from it. */
async function catalogLoaded(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${base}/api/models`).catch(() => undefined);
    if (res && ((await res.json()) as { source?: string }).source === 'live') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server never listened, or its catalog never loaded from the fake upstream');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function full(call: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const res = await call();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  await res.text();
  return performance.now() - t;
}

async function firstToken(call: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const reader = (await call()).body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (!at && /"content":"[^"]/.test(seen)) at = performance.now() - t;
  }
  return at;
}

async function rps(call: () => Promise<Response>, ms: number): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (performance.now() < end) {
        await (await call()).text();
        n++;
      }
    }),
  );
  return n / (ms / 1000);
}
