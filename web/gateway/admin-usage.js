// @ts-check
/**
 * What the issued keys used, per UTC day, key and model (GET admin/api/usage): a date range (this
 * month by default), one key or all, totals, and the same rows as CSV. A plain download link
 * cannot carry the Bearer header, so the CSV is fetched with it and saved from a Blob.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { adminApi, adminFetch } from './admin-api.js';
import { dollars, tokenCount } from '../models/catalog-format.js';
import { useAction } from '../lib/use-action.js';

/** @typedef {import('./admin-api.js').IssuedKey} IssuedKey */
/** @typedef {import('./admin-api.js').UsageReport} UsageReport */
/** @typedef {{ from: string, to: string, key: string }} UsageQuery */

/** @returns {UsageQuery} the usage days are UTC days, so "this month" is the UTC one */
function thisMonth() {
  const today = new Date().toISOString().slice(0, 10);
  return { from: `${today.slice(0, 8)}01`, to: today, key: '' };
}

/** @param {UsageQuery} q @param {'json' | 'csv'} format */
const usagePath = (q, format) => `usage?${new URLSearchParams({ format, from: q.from, to: q.to, ...(q.key ? { key: q.key } : {}) })}`;

/** @param {Response} res @returns {string} the server's file name, else a fitting one */
function fileName(res) {
  const given = res.headers.get('Content-Disposition')?.match(/filename="?([^";]+)"?/)?.[1];
  return given ?? 'labcoat-gateway-usage.csv';
}

/** @param {Blob} blob @param {string} name Saves through an object URL: no page navigation, no new window. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the data by the next minute; the URL can go then.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** @param {{ t: import('./admin-api.js').UsageTotals }} props */
function Numbers({ t }) {
  return html`<td class="num">${tokenCount(t.requests)}</td>
    <td class="num">${tokenCount(t.tokens_in)}</td>
    <td class="num">${tokenCount(t.tokens_out)}</td>
    <td class="num">${dollars(t.usd)}</td>
    <td class="num">${tokenCount(t.errors)}</td>`;
}

/** @param {{ keys: IssuedKey[], onKeysStale: () => void }} props onKeysStale: a look at the usage also refreshes the keys' "last used" */
export function AdminUsage({ keys, onKeysStale }) {
  const [draft, setDraft] = useState(thisMonth);
  const [report, setReport] = useState(/** @type {UsageReport | null} */ (null));
  const load = useAction();
  const csv = useAction();

  /** @param {UsageQuery} q */
  const show = async (q) => {
    const r = await load.act(() => adminApi(usagePath(q, 'json')));
    if (r) setReport(r);
  };
  useEffect(() => void show(draft), []);

  /** @param {Event} e */
  const submit = (e) => {
    e.preventDefault();
    onKeysStale();
    void show(draft);
  };
  const download = () =>
    csv.act(async () => {
      const res = await adminFetch(usagePath(draft, 'csv'));
      save(await res.blob(), fileName(res));
    }, 'The CSV is in your downloads.');
  /** @param {keyof UsageQuery} field @returns {(e: Event) => void} */
  const set = (field) => (e) => setDraft((d) => ({ ...d, [field]: /** @type {HTMLInputElement} */ (e.currentTarget).value }));

  return html`<section class="card" aria-labelledby="admin-usage-title" data-testid="admin-usage">
    <div class="batch-card-head">
      <h3 id="admin-usage-title">Usage</h3>
      <button type="button" class="button" onClick=${download} disabled=${csv.pending} data-testid="usage-csv">${csv.pending ? 'Preparing…' : 'Download CSV'}</button>
    </div>
    <form class="admin-usage-form" onSubmit=${submit} novalidate>
      <div class="catalog-field">
        <label for="usage-from">From</label>
        <input id="usage-from" type="date" value=${draft.from} max=${draft.to} onInput=${set('from')} />
      </div>
      <div class="catalog-field">
        <label for="usage-to">To</label>
        <input id="usage-to" type="date" value=${draft.to} min=${draft.from} onInput=${set('to')} />
      </div>
      <div class="catalog-field">
        <label for="usage-key">Key</label>
        <select id="usage-key" value=${draft.key} onChange=${set('key')}>
          <option value="">All keys</option>
          ${keys.map((k) => html`<option key=${k.id} value=${k.id}>${k.name} (${k.prefix}…)</option>`)}
        </select>
      </div>
      <button type="submit" class="button" data-tone="primary" disabled=${load.pending}>Show</button>
    </form>
    <p class="field-note">Days are UTC. Refused calls count as requests and errors, so you see them too.</p>
    ${(load.error || csv.error) && html`<p class="callout" data-tone="warn" role="alert">${load.error ?? csv.error}</p>`}
    <p class="status-line" role="status">${csv.done}</p>
    ${
      report &&
      (report.rows.length === 0
        ? html`<p class="muted" data-testid="usage-empty">No gateway calls in this range.</p>`
        : html`<div class="batch-scroll">
          <table class="batch-table" data-testid="usage-table">
            <thead>
              <tr>
                <th scope="col">Day</th><th scope="col">Key</th><th scope="col">Model</th><th scope="col" class="num">Requests</th>
                <th scope="col" class="num">Tokens in</th><th scope="col" class="num">Tokens out</th><th scope="col" class="num">Cost</th><th scope="col" class="num">Errors</th>
              </tr>
            </thead>
            <tbody>
              ${report.rows.map(
                (r) => html`<tr key=${`${r.day} ${r.key_id} ${r.model}`} data-testid="usage-row" data-model=${r.model} data-requests=${r.requests}>
                  <td>${r.day}</td>
                  <td>${r.key_name ?? r.key_id}<br /><code>${r.key_prefix ?? ''}</code></td>
                  <td><code>${r.model}</code></td>
                  <${Numbers} t=${r} />
                </tr>`,
              )}
            </tbody>
            <tfoot>
              <tr data-testid="usage-totals" data-requests=${report.totals.requests}>
                <th scope="row" colspan="3">Total</th>
                <${Numbers} t=${report.totals} />
              </tr>
            </tfoot>
          </table>
        </div>`)
    }
  </section>`;
}
