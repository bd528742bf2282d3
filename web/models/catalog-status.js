// @ts-check
/** Where the model list comes from and how old it is, a Refresh button, and whitelisted models that went missing. */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { ago, day } from './catalog-format.js';

/** @typedef {import('./catalog-query.js').Catalog} Catalog */

/**
 * @param {Catalog} catalog
 * @param {number} ageS
 */
export function sourceText(catalog, ageS) {
  if (catalog.source === 'live') return `Live from the provider, fetched ${ago(ageS)}.`;
  const why = catalog.refresh_error ? ` (the live list could not be fetched: ${catalog.refresh_error})` : '';
  return `Shipped snapshot of ${day(catalog.fetched_at)}${why}.`;
}

/**
 * @param {{
 *   catalog: Catalog,
 *   receivedAt: number,
 *   refreshing: boolean,
 *   result: import('./catalog-data.js').RefreshResult | null,
 *   onRefresh: () => void,
 * }} props
 */
export function CatalogStatus({ catalog, receivedAt, refreshing, result, onRefresh }) {
  const [now, setNow] = useState(Date.now);
  // "fetched N min ago" keeps counting while the tab is open; a snapshot's date does not move.
  useEffect(() => {
    setNow(Date.now());
    if (catalog.source !== 'live') return undefined;
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [catalog, receivedAt]);

  const ageS = catalog.age_s + Math.max(0, (now - receivedAt) / 1000);
  return html`<div class="catalog-status" data-source=${catalog.source}>
    <div class="catalog-source">
      <span class="catalog-source-dot" aria-hidden="true"></span>
      <p data-testid="catalog-source">${sourceText(catalog, ageS)}</p>
      <button type="button" class="button" onClick=${onRefresh} disabled=${refreshing} aria-busy=${refreshing ? 'true' : 'false'}>
        ${refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
    <p class="catalog-result" role="status" aria-live="polite" data-tone=${result?.tone} data-testid="catalog-result">${result?.text ?? ''}</p>
  </div>`;
}

/** @param {{ ids: string[] }} props whitelisted ids the provider no longer lists */
export function MissingAllowed({ ids }) {
  if (ids.length === 0) return null;
  const one = ids.length === 1;
  return html`<div class="callout catalog-missing" data-tone="warn" role="note" data-testid="missing-allowed">
    <p>
      <strong>${one ? 'A model on this Space’s list is gone.' : `${ids.length} models on this Space’s list are gone.`}</strong>
      ${' '}The provider no longer lists ${one ? 'it' : 'them'}, so choosing ${one ? 'it' : 'one'} will fail:
    </p>
    <ul class="catalog-missing-list">
      ${ids.map((id) => html`<li key=${id}><code>${id}</code></li>`)}
    </ul>
  </div>`;
}
