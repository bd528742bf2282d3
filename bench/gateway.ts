import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../tests/helpers/test-server.js';

const CHILD = fileURLToPath(new URL('./fake-upstream-child.ts', import.meta.url));
const ADMIN = 'bench-admin-token-0123456789';
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * The gateway's overhead over calling the upstream directly (the fake upstream in its own
 * process, as a provider would be), in one run: sequential latency, time to the first streamed
 * token, and requests per second at 50 concurrent. For a free model (no reservation) and a paid
 * one (reserve, persist, settle).
 */
export async function gatewayOverhead(opts: { calls: number; concurrentMs: number; logLevel?: string } = { calls: 1000, concurrentMs: 3000 }) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, '0', '0', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const upstream = (JSON.parse(line.toString()) as { url: string }).url;
  const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
  const PAID = 'openai/gpt-4o-mini';
  const server = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-bench-0123456789', LLM_BASE_URL: upstream, ADMIN_TOKEN: ADMIN },
    logLevel: opts.logLevel ?? 'silent',
    config: { cost_control: { allowed_models: { development: [FREE, PAID] }, tiers: { anonymous: [FREE] }, daily_spending_limit_usd: 100_000 }, llm: { cache_entries: 0 }, store: { flush_interval_ms: 250 } },
  });
  const created = await fetch(`${server.url}/admin/api/keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ name: 'bench', rpm: 100_000, max_concurrent: 1000, daily_usd: null }) });
  const { key } = (await created.json()) as { key: string };

  const measure = async (model: string) => {
    const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 50 });
    const streamBody = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 50, stream: true });
    const direct = (b: string) => fetch(`${upstream}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0123456789' }, body: b });
    const gateway = (b: string) => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: b });
    const full = async (call: () => Promise<Response>) => {
      const t = performance.now();
      const res = await call();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      await res.text();
      return performance.now() - t;
    };
    const firstToken = async (call: () => Promise<Response>) => {
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
    };
    for (let i = 0; i < 200; i++) await Promise.all([full(() => direct(body)), full(() => gateway(body))]);
    const d: number[] = [];
    const g: number[] = [];
    const dt: number[] = [];
    const gt: number[] = [];
    for (let i = 0; i < opts.calls; i++) {
      d.push(await full(() => direct(body)));
      g.push(await full(() => gateway(body)));
      if (i % 4 === 0) {
        dt.push(await firstToken(() => direct(streamBody)));
        gt.push(await firstToken(() => gateway(streamBody)));
      }
    }
    const rps = async (call: () => Promise<Response>) => {
      let n = 0;
      const end = performance.now() + opts.concurrentMs;
      await Promise.all(Array.from({ length: 50 }, async () => {
        while (performance.now() < end) {
          await (await call()).text();
          n++;
        }
      }));
      return n / (opts.concurrentMs / 1000);
    };
    const directRps = await rps(() => direct(body));
    const gatewayRps = await rps(() => gateway(body));
    return {
      model,
      direct: { p50: percentile(d, 50), p99: percentile(d, 99), ttft: percentile(dt, 50), rps: directRps },
      gateway: { p50: percentile(g, 50), p99: percentile(g, 99), ttft: percentile(gt, 50), rps: gatewayRps },
    };
  };
  try {
    return [await measure(FREE), await measure(PAID)];
  } finally {
    await server.close();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
