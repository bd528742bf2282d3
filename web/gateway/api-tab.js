// @ts-check
/**
 * "Use via API" tab: copyable curl, JavaScript and Python for the three things code can do here
 * (the /v1 gateway with an issued key, research runs, batch tests), with this Space's address
 * filled in, and what each gateway refusal means.
 */
import { useMemo, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { baseUrl, batchSnippets, gatewaySnippets, KEY_PLACEHOLDER, researchSnippets } from './snippets.js';
import { ApiSnippets } from './api-snippets.js';
import { CopyButton } from './api-copy-button.js';

/** @typedef {import('./snippets.js').Lang} Lang */

/** What the gateway's refusals mean, by HTTP status and error code (OpenAI's error shape: error.code). */
const REFUSALS = [
  ['401', 'invalid_api_key, missing_api_key', 'The key is unknown, disabled, revoked or expired, or none was sent.'],
  ['404', 'model_not_found', 'This key may not use that model. GET /v1/models lists the ones it may.'],
  ['429', 'rate_limit_exceeded', "More requests this minute than the key's rpm. Wait the Retry-After seconds."],
  ['429', 'too_many_concurrent_requests', 'Too many requests from this key in flight at once. Wait for one to finish.'],
  ['429', 'key_daily_limit, key_monthly_limit', "The key's daily or monthly USD limit is used up. Retry-After says when it frees up."],
  [
    '429',
    'daily_budget_exhausted, budget_busy',
    "The Space's daily spending cap is reached (or held by calls in flight). Retry-After: the next UTC midnight, or a few seconds.",
  ],
  [
    '422',
    'key_request_too_costly, request_too_costly',
    "This one request could cost more than the key's limit or the whole daily cap. Lower max_tokens or shorten the prompt.",
  ],
  ['503', 'no_api_key', 'The Space has no upstream key right now. Tell its owner.'],
  ['502, 504', 'upstream_…', "The model's provider failed or timed out. Try again, or another model."],
];

function SessionNote() {
  return html`<p class="note">Every <code>/api</code> answer carries an <code>X-Session-ID</code> header: send it back as <code>X-Session-ID</code> on later calls, so they count as one session (its quotas, its runs).</p>`;
}

/** @param {import('../shell/view-props.js').ViewProps} props */
export function ApiView({ config }) {
  const [lang, setLang] = useState(/** @type {Lang} */ ('curl'));
  const base = baseUrl(window.location.href);
  const model = config.allowed_models[0] ?? 'provider/model';
  const sets = useMemo(() => ({ gateway: gatewaySnippets(base, model), research: researchSnippets(base, model), batch: batchSnippets(base) }), [base, model]);
  const gateway = config.gateway?.enabled === true;
  const shared = { lang, onLang: setLang };

  return html`<div class="view api-view">
    <h2>Use via API</h2>
    <p class="lead">Everything this page does is an HTTP API you can call from your own code. The examples have this Space's address filled in; pick a language and copy.</p>
    <div class="card api-base">
      <strong>Base URL</strong>
      <code id="api-base-url" data-testid="api-base-url">${base}</code>
      <${CopyButton} text=${base} targetId="api-base-url" label="Copy the base URL" />
      ${config.space && html`<p class="field-note">On Hugging Face, code calls the Space's own address above (…hf.space), not its huggingface.co page.</p>`}
    </div>

    <section class="card setting" aria-labelledby="api-gateway-title">
      <h3 id="api-gateway-title">OpenAI-compatible gateway <code>/v1</code></h3>
      ${
        gateway
          ? html`<p>Any OpenAI client works: point it at <code>${base}/v1</code> and use a key that this Space's owner issued you (<code>${KEY_PLACEHOLDER}</code>). Each key has its own rate and spending limits, and the Space's daily cap applies too.</p>
            ${
              !config.key_modes.issued_keys &&
              html`<p class="callout" data-tone="warn">No keys can be issued here yet: the Space's owner has not set an <code>ADMIN_TOKEN</code>.</p>`
            }
            ${
              !config.key_modes.server_key &&
              html`<p class="callout" data-tone="warn">This Space has no model provider key of its own right now, so the gateway answers <code>503 no_api_key</code>.</p>`
            }
            <${ApiSnippets} id="gateway" what="gateway" snippets=${sets.gateway} ...${shared} />
            <h4 id="api-errors-title">When a call is refused</h4>
            <div class="batch-scroll">
              <table class="batch-table api-errors" aria-labelledby="api-errors-title">
                <thead><tr><th scope="col">Status</th><th scope="col"><code>error.code</code> and what it means</th></tr></thead>
                <tbody>
                  ${REFUSALS.map(
                    ([status, codes, text]) => html`<tr key=${codes}>
                      <td>${status}</td>
                      <td>${codes.split(', ').map((c) => html`<code key=${c}>${c}</code> `)}<br />${text}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">The gateway is turned off on this Space (<code>gateway.enabled</code> in its config.yaml).</p>`
      }
    </section>

    <section class="card setting" aria-labelledby="api-research-title">
      <h3 id="api-research-title">Research runs <code>/api/research</code></h3>
      <p>Start a run with a goal and a model; it runs in the background, and you poll it for hypotheses, reviews and the leaderboard. ${config.key_modes.server_key ? "Model calls use this Space's key within its quotas, or" : 'This Space has no key of its own, so send'} your own OpenRouter key as <code>Authorization: Bearer sk-or-…</code>.</p>
      <${SessionNote} />
      <${ApiSnippets} id="research" what="research" snippets=${sets.research} ...${shared} />
    </section>

    <section class="card setting" aria-labelledby="api-batch-title">
      <h3 id="api-batch-title">Batch tests <code>/api/batch</code></h3>
      <p>Measure your own OpenAI-compatible endpoint on curated prompt suites: save it, run suites on it, read the results, export them. Calls go to your endpoint with your key, never this Space's.</p>
      <${SessionNote} />
      <${ApiSnippets} id="batch" what="batch" snippets=${sets.batch} ...${shared} />
    </section>
  </div>`;
}
