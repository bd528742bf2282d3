import { startFakeUpstream } from '../tests/helpers/fake-upstream.js';
import { researchResponder } from '../tests/helpers/research-fake.js';
import { startTestServer } from '../tests/helpers/test-server.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PARALLEL = 4; // RESEARCH_PARALLEL_CALLS in server/app.ts

/**
 * One default research cycle (3 hypotheses, 2 matches each, one 3-turn debate, top 2 evolved)
 * against the fake upstream: wall time at 0 ms per call (the engine's own overhead) and at
 * `latencyMs`, against the critical path (steps in order, their calls in parallel up to the limit).
 */
export async function researchCycle(latencyMs = 200, runs = 5) {
  const measure = async (latency: number) => {
    const upstream = await startFakeUpstream({ respond: researchResponder(), latencyMs: latency });
    const server = await startTestServer({
      env: { OPENROUTER_API_KEY: 'sk-bench-0123456789', LLM_BASE_URL: upstream.url },
      logLevel: 'silent',
      config: {
        cost_control: {
          allowed_models: { development: [FREE] },
          tiers: { anonymous: 'all_allowed' },
          per_session_limit_requests: 1000,
          requests_per_hour_per_ip: 100_000,
        },
        deployment: { max_cycles_per_session: 1000 },
      },
    });
    const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const headers = { 'content-type': 'application/json', 'x-session-id': session };
    const times: number[] = [];
    let run: any;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const { id } = (await (
        await fetch(`${server.url}/api/research/runs`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ goal: `Why do some people sleep better after eating fermented food? (run ${i})`, model: FREE }),
        })
      ).json()) as any;
      for (;;) {
        run = await (await fetch(`${server.url}/api/research/runs/${id}`, { headers })).json();
        if (run.state !== 'queued' && run.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 2));
      }
      times.push(performance.now() - t);
    }
    await server.close();
    await upstream.close();
    times.sort((a, b) => a - b);
    return { medianMs: times[Math.floor(times.length / 2)]!, calls: run.usage.calls as number, matches: run.matches.length as number, settings: run.settings };
  };
  const overhead = await measure(0);
  const slow = await measure(latencyMs);
  const s = slow.settings;
  const rounds = (n: number) => Math.ceil(n / PARALLEL);
  // screen, generate, reviews, tournament (a debate's turns are sequential), evolve, meta-review, overview
  const criticalCalls = 1 + 1 + rounds(s.hypotheses) + Math.max(s.debate ? s.debate_turns : 0, rounds(slow.matches)) + rounds(s.top_k) + 1 + 1;
  return { overheadMs: overhead.medianMs, calls: overhead.calls, slowMs: slow.medianMs, criticalPathMs: criticalCalls * latencyMs, criticalCalls, latencyMs };
}
