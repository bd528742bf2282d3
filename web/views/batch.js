// @ts-check
/** Batch tests tab: bring your own model and measure it. Suites and runs arrive next. */
import { html } from '../lib/html.js';
import { Facts } from '../components/facts.js';
import { PlannedNote } from '../components/planned-note.js';

const FEATURES = [
  ['Connect', 'Any OpenAI-compatible endpoint: OpenRouter, OpenAI, Groq, Together, Mistral, DeepSeek, or a local Ollama, LM Studio or vLLM. The connection is tested first.'],
  ['Run suites', 'Eight curated prompt suites (support, code, QA and creative writing, easy and medium), or your own as JSON or CSV, with checks on each answer.'],
  ['Measure', 'Success rate, latency (average, p50, p95, p99), time to first token, tokens per second, token counts and cost, live as results land.'],
  ['Compare and export', 'Two models side by side with a per-prompt diff, a chat with your model about the results, and CSV or JSON export.'],
];

/** @param {import('./view-props.js').ViewProps} props */
export function BatchView({ config }) {
  const { batch } = config;
  return html`<div class="view">
    <h2>Batch tests</h2>
    <p class="lead">Bring your own model and see how it does on real prompts: speed, quality checks and cost, measured the same way every time.</p>

    <ul class="feature-list">
      ${FEATURES.map(([name, text]) => html`<li><h3>${name}</h3><p>${text}</p></li>`)}
    </ul>

    <div class="grid-2">
      <${Facts}
        title="Limits in this Space"
        facts=${[
          { term: 'Active endpoints per visitor', value: batch.max_active_sessions_per_ip },
          { term: 'Endpoint kept for', value: `${batch.session_ttl_minutes} min` },
          { term: 'Parallel requests', value: `up to ${batch.max_concurrency}` },
          {
            term: 'Local and private addresses',
            value: config.private_endpoints_allowed ? 'allowed' : 'blocked',
            hint: config.private_endpoints_allowed ? undefined : 'Run Labcoat on your own machine to test a local model.',
          },
        ]}
      />
      <section class="card" aria-labelledby="batch-mode-title">
        <h3 id="batch-mode-title">In every mode</h3>
        <p>Batch tests call your endpoint with your key, never this Space's, so they work even in data-only mode. Your endpoint key is encrypted on the server for the session's life only, and you can delete it at any time.</p>
      </section>
    </div>
    <${PlannedNote}>Connecting endpoints and running suites comes next.<//>
  </div>`;
}
