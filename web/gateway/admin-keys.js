// @ts-check
/**
 * The issued keys: prefix (never the key), state, models and limits, last use; Disable/Enable
 * (PATCH enabled) and Revoke (DELETE, asked twice). A revoked key stays listed for its usage.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { adminApi } from './admin-api.js';
import { usd } from '../lib/format.js';
import { when } from '../research/format.js';
import { useAction } from '../lib/use-action.js';

/** @typedef {import('./admin-api.js').IssuedKey} IssuedKey */

const COLUMNS = ['Key', 'Models', 'Rate', 'Spending', 'Expires (UTC)', 'Last used', 'Actions'];
const STATE_LABELS = { active: 'Active', disabled: 'Disabled', expired: 'Expired', revoked: 'Revoked' };
/** Each key state wears the colour of the run state that reads alike (batch/batch.css has those). */
const STATE_TONES = { active: 'idle', disabled: 'queued', expired: 'cancelled', revoked: 'failed' };

/** Keeps a short phrase on one line when the table narrows: "60 a minute", not "60 a / minute". */
const phrase = (/** @type {string} */ text) => text.replace(/ /g, '\u00a0');
/** @param {number | null} n @param {string} per */
const limit = (n, per) => (n === null ? html`<span class="muted">${phrase(`no ${per} limit`)}</span>` : phrase(`${usd(n)} a ${per}`));

/** @param {{ k: IssuedKey, onChanged: () => void }} props */
function KeyRow({ k, onChanged }) {
  const [asking, setAsking] = useState(false);
  const { pending, error, act } = useAction();
  const confirmRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const path = `keys/${encodeURIComponent(k.id)}`;
  /** @param {() => Promise<unknown>} call */
  const change = async (call) => {
    if (await act(() => call().then(() => true))) {
      setAsking(false);
      onChanged();
    }
  };
  const revoked = k.state === 'revoked';

  return html`
    <tr data-testid="key-row" data-id=${k.id} data-state=${k.state}>
      <th scope="row">
        ${k.name}<br />
        <code data-testid="key-prefix">${k.prefix}…</code> <span class="state-pill" data-state=${STATE_TONES[k.state]} data-testid="key-state">${STATE_LABELS[k.state]}</span>
      </th>
      <td class="admin-key-models">${k.models === null ? html`<span class="muted">all whitelisted</span>` : k.models.map((m) => html`<code key=${m}>${m}</code> `)}</td>
      <td>${phrase(`${k.rpm.toLocaleString('en-US')} a minute`)}<br />${phrase(`${k.max_concurrent.toLocaleString('en-US')} at once`)}</td>
      <td>${limit(k.daily_usd, 'day')}<br />${limit(k.monthly_usd, 'month')}</td>
      <td class="admin-date">${k.expires_at ? k.expires_at.slice(0, 10) : html`<span class="muted">never</span>`}</td>
      <td>${k.last_used_at ? when(k.last_used_at) : html`<span class="muted">never</span>`}</td>
      <td>
        ${
          !revoked &&
          html`<div class="admin-actions"><button type="button" class="button" disabled=${pending} aria-label=${`${k.enabled ? 'Disable' : 'Enable'} ${k.name} (${k.prefix}…)`}
            onClick=${() => change(() => adminApi(path, { method: 'PATCH', body: { enabled: !k.enabled } }))}>${k.enabled ? 'Disable' : 'Enable'}</button>
          <button type="button" class="button" data-tone="danger" disabled=${pending || asking} aria-label=${`Revoke ${k.name} (${k.prefix}…)`} onClick=${() => setAsking(true)}>Revoke</button></div>`
        }
      </td>
    </tr>
    ${
      (asking || error) &&
      html`<tr class="admin-key-more">
      <td colspan=${COLUMNS.length}>
        ${
          asking &&
          html`<div class="batch-confirm" role="group" aria-label=${`Revoke ${k.name}?`} data-testid="revoke-confirm">
          <p>Revoke <strong>${k.name}</strong> (<code>${k.prefix}…</code>)? It stops working at once, for good; its usage stays listed.</p>
          <div class="form-foot">
            <button type="button" class="button" data-tone="danger" ref=${confirmRef} disabled=${pending} onClick=${() => change(() => adminApi(path, { method: 'DELETE' }))}>
              ${pending ? 'Revoking…' : 'Revoke the key'}
            </button>
            <button type="button" class="button" disabled=${pending} onClick=${() => setAsking(false)}>Keep it</button>
          </div>
        </div>`
        }
        ${error && html`<p class="field-error" role="alert">${error}</p>`}
      </td>
    </tr>`
    }
  `;
}

/** @param {{ keys: IssuedKey[] | null, onChanged: () => void }} props keys: null while loading */
export function AdminKeys({ keys, onChanged }) {
  let content;
  if (!keys) content = html`<p class="muted" aria-busy="true">Loading the keys…</p>`;
  else if (keys.length === 0)
    content = html`<p class="muted" data-testid="no-keys">No keys yet. Create one above and hand it to whoever should call <code>/v1</code>.</p>`;
  else {
    content = html`<div class="batch-scroll">
      <table class="batch-table admin-keys" data-testid="admin-keys">
        <thead><tr>${COLUMNS.map((c) => html`<th scope="col" key=${c}>${c}</th>`)}</tr></thead>
        <tbody>${keys.map((k) => html`<${KeyRow} key=${k.id} k=${k} onChanged=${onChanged} />`)}</tbody>
      </table>
    </div>`;
  }
  return html`<section class="card" aria-labelledby="admin-keys-title">
    <h3 id="admin-keys-title">Keys</h3>
    ${content}
  </section>`;
}
