// @ts-check
/** Models tab: the whole catalog for everyone, key or not: search, filter, sort, what one call costs, and Try. */
import { useMemo, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { useCatalog } from './catalog-data.js';
import { lazy, useLazy } from '../lib/lazy.js';
import { TIERS } from './catalog-format.js';
import { checkboxFilter, filterModels, FIRST_DIR, providerCounts, sortModels } from './catalog-query.js';
import { CatalogFilters, parseTokens, PromptSizeFields } from './catalog-controls.js';
import { CatalogStatus, MissingAllowed } from './catalog-status.js';
import { CatalogTable } from './catalog-table.js';

const tryPanelModule = lazy(() => import('./try-panel.js'));

/** @typedef {import('./catalog-query.js').Filters} Filters */
/** @typedef {import('./catalog-query.js').Sort} Sort */
/** @typedef {import('./catalog-query.js').SortKey} SortKey */
/** @typedef {import('./catalog-query.js').PromptSize} PromptSize */
/** @typedef {import('./catalog-query.js').CatalogModel} CatalogModel */

// Visitors first see what they can use here.
/** @type {Filters} */
const START_FILTERS = { query: '', allowedOnly: true, freeOnly: false, provider: '' };

/** @param {import('../shell/view-props.js').ViewProps} props */
export function ModelsView({ config, mode, usage, refreshUsage }) {
  const { catalog, receivedAt, loadError, reload, refreshing, result, refresh } = useCatalog();
  const [filters, setFilters] = useState(START_FILTERS);
  const [sort, setSort] = useState(/** @type {Sort} */ ({ key: 'name', dir: 'ascending' }));
  const [draft, setDraft] = useState({ input: '2,000', output: '500' });
  const [size, setSize] = useState(/** @type {PromptSize} */ ({ input: 2000, output: 500 }));
  const [trying, setTrying] = useState(/** @type {CatalogModel | null} */ (null));
  const panel = useLazy(tryPanelModule, trying !== null);

  const models = catalog?.models ?? [];
  // Sorting waits for what it depends on; typing in the search box only filters the sorted list.
  const sorted = useMemo(() => sortModels(models, sort, size), [models, sort, sort.key === 'cost' ? size : null]);
  const shown = useMemo(() => filterModels(sorted, filters), [sorted, filters]);
  const providers = useMemo(() => {
    const base = checkboxFilter(models, filters);
    const counts = providerCounts(base);
    // A chosen provider stays in the list even when the checkboxes leave it no models.
    if (filters.provider && !counts.some(([p]) => p === filters.provider)) counts.unshift([filters.provider, 0]);
    return { counts, total: base.length };
  }, [models, filters.allowedOnly, filters.freeOnly, filters.provider]);

  /** @param {Partial<Filters>} patch */
  const changeFilters = (patch) => setFilters((f) => ({ ...f, ...patch }));
  /** @param {SortKey} key a header was clicked: the same column again reverses it */
  const sortBy = (key) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'ascending' ? 'descending' : 'ascending' } : { key, dir: FIRST_DIR[key] }));
  /** @param {{ input: string, output: string }} d */
  const changeDraft = (d) => {
    setDraft(d);
    const input = parseTokens(d.input);
    const output = parseTokens(d.output);
    if (input !== null && output !== null) setSize({ input, output });
  };

  const intro = html`<h2>Models</h2>
    <p class="lead">Every model the provider lists, with prices per million tokens, context length, and who may use it on this Space. No key needed.</p>`;

  if (!catalog) {
    return html`<div class="view">
      ${intro}
      ${
        loadError
          ? html`<div class="callout" data-tone="warn" role="alert">
            <p>The model catalog could not be loaded: ${loadError.message} <span class="muted">(${loadError.code})</span></p>
            <p><button type="button" class="button" onClick=${reload}>Try again</button></p>
          </div>`
          : html`<p class="muted" aria-busy="true">Loading the model catalog…</p>`
      }
    </div>`;
  }

  const allowedCount = models.filter((m) => m.allowed).length;
  return html`<div class="view catalog">
    ${intro}
    <${CatalogStatus} catalog=${catalog} receivedAt=${receivedAt} refreshing=${refreshing} result=${result} onRefresh=${refresh} />
    <${MissingAllowed} ids=${catalog.missing_allowed} />

    <div class="catalog-controls">
      <${CatalogFilters}
        filters=${filters}
        onChange=${changeFilters}
        providers=${providers.counts}
        providerTotal=${providers.total}
        sort=${sort}
        onSort=${setSort}
      />
      <${PromptSizeFields} draft=${draft} onDraft=${changeDraft} />
    </div>

    <p class="catalog-count" aria-live="polite" aria-atomic="true" data-testid="catalog-count">
      <strong>${shown.length.toLocaleString('en-US')}</strong> of ${models.length.toLocaleString('en-US')} models
    </p>
    ${
      shown.length
        ? html`<${CatalogTable}
          models=${shown}
          sort=${sort}
          onSort=${sortBy}
          size=${size}
          canTry=${(/** @type {CatalogModel} */ m) => m.tier === 'anonymous' || (mode === 'byok' && m.tier === 'byok')}
          onTry=${mode === 'data-only' ? null : setTrying}
        />`
        : html`<${NoMatch}
          filters=${filters}
          allowedCount=${allowedCount}
          whitelistSize=${config.allowed_models.length}
          total=${models.length}
          onChange=${changeFilters}
        />`
    }

    <${TierLegend} dataOnly=${mode === 'data-only'} byok=${config.key_modes.byok} anyModel=${config.key_modes.byok_any_model} />
    ${trying && panel.failed && html`<p class="callout" data-tone="warn" role="alert">The Try panel could not be loaded. Reload the page and try again.</p>`}
    ${
      trying &&
      panel.mod &&
      html`<${panel.mod.TryPanel} key=${trying.id} model=${trying} ownKey=${mode === 'byok'} usage=${usage} onClose=${() => setTrying(null)} onCalled=${refreshUsage} />`
    }
  </div>`;
}

/**
 * Why the list is empty, and the one click that shows something.
 * @param {{ filters: Filters, allowedCount: number, whitelistSize: number, total: number, onChange: (patch: Partial<Filters>) => void }} props
 */
function NoMatch({ filters, allowedCount, whitelistSize, total, onChange }) {
  const noneAllowed = filters.allowedOnly && allowedCount === 0;
  let text = 'No model matches these filters.';
  if (noneAllowed && whitelistSize === 0) text = "This Space's owner has not allowed any models yet.";
  else if (noneAllowed) text = `None of the ${total.toLocaleString('en-US')} models in this list is on this Space's whitelist.`;
  return html`<div class="catalog-empty" data-testid="catalog-empty">
    <p>${text}</p>
    <button
      type="button"
      class="button"
      onClick=${() => onChange(noneAllowed ? { allowedOnly: false } : { ...START_FILTERS, allowedOnly: false })}
    >
      ${noneAllowed ? 'Show all models' : 'Clear the filters'}
    </button>
  </div>`;
}

/** @param {{ dataOnly: boolean, byok: boolean, anyModel: boolean }} props */
function TierLegend({ dataOnly, byok, anyModel }) {
  let note = '';
  if (dataOnly)
    note = byok
      ? ' This Space has no key of its own yet, so for now every model needs your own key.'
      : ' This Space has no key yet, so no model calls run here for now.';
  else if (byok && anyModel) note = ' With your own key you may also use models beyond this Space’s list.';
  return html`<section class="catalog-legend" aria-label="What the tiers mean">
    <dl>
      ${Object.entries(TIERS).map(
        ([tier, t]) => html`<div key=${tier}>
          <dt><span class="tier-badge" data-tier=${tier}>${t.label}</span></dt>
          <dd>${t.title}</dd>
        </div>`,
      )}
    </dl>
    <p class="muted">
      Prices are in US dollars per million tokens, as the provider publishes them; "unknown" means it publishes none.
      ${note}
    </p>
  </section>`;
}
