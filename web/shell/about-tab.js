// @ts-check
/** About tab: what Labcoat is, who pays in each mode, and where to look under the hood. */
import { html } from '../lib/html.js';

/** @param {import('../lib/use-config.js').PublicConfig} config */
const keyModes = (config) => [
  {
    name: "The Space's key",
    on: config.key_modes.server_key,
    text: 'The owner set a secret key. Visitors run models from an allowed list, within per-session and hourly quotas and a daily spending cap that is never exceeded.',
  },
  {
    name: 'Your own key',
    on: config.key_modes.byok,
    text: 'You paste your OpenRouter key in Settings. It stays in your browser and goes with each request; you pay your provider, and the shared cap does not apply.',
  },
  {
    name: 'Issued keys',
    on: config.key_modes.issued_keys,
    text: 'The owner hands out lc_… keys for the OpenAI-compatible /v1 API, each with its own rate and daily limit. Any OpenAI client library works.',
  },
  {
    name: 'Data-only',
    on: config.mode === 'data-only',
    text: 'No key anywhere: the catalog and saved results still work, and anything that would call a model explains how to add a key.',
  },
];

/** @param {import('./view-props.js').ViewProps} props */
export function AboutView({ config }) {
  return html`<div class="view">
    <h2>About Labcoat</h2>
    <p class="lead">Labcoat is a small AI research lab that fits in one Hugging Face Space, built so that a public demo can never run up a surprise bill.</p>
    <ul class="plain-list">
      <li><strong>Research cycles:</strong> an AI co-scientist generates, reviews, ranks and evolves hypotheses for your goal.</li>
      <li><strong>Batch tests:</strong> measure any OpenAI-compatible model on curated prompt suites.</li>
      <li><strong>Model catalog:</strong> browse allowed models and prices without a key.</li>
      <li><strong>Gateway:</strong> an OpenAI-compatible API with keys the owner issues.</li>
    </ul>

    <h3>Who pays for model calls</h3>
    <dl class="key-modes">
      ${keyModes(config).map(
        (m) => html`<div class="key-mode">
          <dt>${m.name} <span class="pill" data-on=${m.on ? 'true' : 'false'}>${m.on ? 'on here' : 'off here'}</span></dt>
          <dd>${m.text}</dd>
        </div>`,
      )}
    </dl>

    <h3>Under the hood</h3>
    <dl class="facts">
      <div class="fact"><dt>Version</dt><dd><code>${config.version}</code></dd></div>
      <div class="fact"><dt>Model list in use</dt><dd>${config.deployment_env}</dd></div>
      ${config.space && html`<div class="fact"><dt>Space</dt><dd><a href=${config.space.url} target="_blank" rel="noopener">${config.space.id}</a></dd></div>`}
      <div class="fact"><dt>Health</dt><dd><a href="./health">/health</a></dd><dd class="fact-hint">Status, uptime and the state file, as JSON.</dd></div>
      <div class="fact"><dt>Metrics</dt><dd><a href="./metrics">/metrics</a></dd><dd class="fact-hint">Requests, latency, spend, queue and live clients, for Prometheus.</dd></div>
    </dl>
  </div>`;
}
