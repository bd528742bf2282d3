// @ts-check
/**
 * Connect an endpoint: a provider preset fills the base URL; the key, the model and a label go
 * with it. "Test connection" calls it once without storing anything (POST batch/connect); "Save
 * endpoint" tests it again and keeps it, key sealed, for this session (POST batch/sessions). The
 * key lives in this form only: never in localStorage.
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { count } from '../lib/format.js';
import { msText, presetOf, PRESETS } from './format.js';
import { useAction } from '../lib/use-action.js';

/** @typedef {import('../../shared/batch-types.js').Connection} Connection */
/** @typedef {import('../../shared/batch-types.js').BatchSession} BatchSession */

/** @param {{ c: Connection }} props */
function Connected({ c }) {
  const models = c.models === null ? 'it lists no models' : `it lists ${count(c.models.length, 'model')}`;
  return html`<p class="callout batch-connected" role="status" data-testid="connect-result" data-latency=${c.latency_ms}>
    <strong>Connected in ${msText(c.latency_ms)}.</strong> <code>${c.model}</code> replied “${c.reply.trim() || '(nothing)'}”, and ${models}.
  </p>`;
}

/**
 * @param {{
 *   config: import('../lib/use-config.js').PublicConfig,
 *   onSaved: (session: BatchSession) => void,
 *   models: string[],
 *   onModels: (models: string[]) => void,
 * }} props models: the endpoint's list from its last test, suggested for every model field on the tab
 */
export function BatchConnect({ config, onSaved, models, onModels }) {
  const [preset, setPreset] = useState('openrouter');
  const [baseUrl, setBaseUrl] = useState(/** @type {string} */ (PRESETS[0][2]));
  const [key, setKey] = useState('');
  const [model, setModel] = useState('');
  const [label, setLabel] = useState('');
  const [connection, setConnection] = useState(/** @type {Connection | null} */ (null));
  const [saved, setSaved] = useState('');
  const test = useAction();
  const save = useAction();
  const busy = test.pending || save.pending;

  const endpoint = { base_url: baseUrl.trim(), api_key: key.trim(), model: model.trim() };
  const missing = !endpoint.base_url ? 'the base URL' : !endpoint.api_key ? 'the API key' : !endpoint.model ? 'the model' : null;

  /** @param {Connection} c */
  const connected = (c) => {
    setConnection(c);
    if (c.models) onModels(c.models);
  };
  const onTest = async () => {
    setSaved('');
    setConnection(null);
    const c = await test.act(() => api('batch/connect', { body: endpoint }));
    if (c) connected(c);
  };
  /** @param {Event} e */
  const onSave = async (e) => {
    e.preventDefault();
    if (missing || busy) return;
    setSaved('');
    setConnection(null);
    /** @type {(BatchSession & { connection: Connection }) | undefined} */
    const s = await save.act(() => api('batch/sessions', { body: { ...endpoint, ...(label.trim() ? { label: label.trim() } : {}) } }));
    if (!s) return;
    connected(s.connection);
    setSaved(`Saved ${s.label ?? s.model}. It is picked for the next run below.`);
    onSaved(s);
  };

  /** @param {Event} e */
  const value = (e) => /** @type {HTMLInputElement} */ (e.currentTarget).value;
  /** @param {Event} e */
  const pick = (e) => {
    const id = value(e);
    setPreset(id);
    const found = PRESETS.find(([p]) => p === id);
    setBaseUrl(found ? found[2] : '');
    if (!found) /** @type {HTMLInputElement | null} */ (document.getElementById('batch-url'))?.focus();
  };
  const error = test.error ?? save.error;

  return html`<section class="card batch-connect" aria-labelledby="batch-connect-title" data-testid="batch-connect">
    <h3 id="batch-connect-title">Connect an endpoint</h3>
    <p class="field-note">Any OpenAI-compatible API. Test it first; saving keeps it for ${config.batch.session_ttl_minutes} minutes.</p>
    <form class="batch-form" onSubmit=${onSave} novalidate>
      <div class="catalog-field">
        <label for="batch-preset">Provider</label>
        <select id="batch-preset" value=${preset} onChange=${pick}>
          ${PRESETS.map(([id, name]) => html`<option key=${id} value=${id}>${name}</option>`)}
          <option value="custom">Custom</option>
        </select>
      </div>
      <div class="catalog-field">
        <label for="batch-url">Base URL</label>
        <input id="batch-url" type="url" inputmode="url" spellcheck=${false} autocomplete="off" placeholder="https://…/v1" value=${baseUrl}
          onInput=${(/** @type {Event} */ e) => {
            setBaseUrl(value(e));
            setPreset(presetOf(value(e)));
          }} aria-describedby="batch-url-note" />
        <span id="batch-url-note" class="field-note" data-testid="private-note">
          ${
            config.private_endpoints_allowed
              ? 'Local and private addresses (localhost, 192.168.…) are allowed on this server.'
              : html`Local and private addresses are blocked in this Space. To test a local model, run Labcoat on your machine with <code>ALLOW_PRIVATE_ENDPOINTS=1</code>.`
          }
        </span>
      </div>
      <div class="catalog-field">
        <label for="batch-key">API key</label>
        <input id="batch-key" type="password" autocomplete="off" spellcheck=${false} value=${key} onInput=${(/** @type {Event} */ e) => setKey(value(e))}
          aria-describedby="batch-key-note" />
        <span id="batch-key-note" class="field-note">Used only to call your endpoint. Saving seals it on this server (AES-256-GCM) until the endpoint expires or you delete it; it is never stored in your browser.</span>
      </div>
      <div class="batch-form-pair">
        <div class="catalog-field">
          <label for="batch-model">Model</label>
          <input id="batch-model" type="text" spellcheck=${false} autocomplete="off" list="batch-models" placeholder="e.g. gpt-4o-mini" value=${model}
            onInput=${(/** @type {Event} */ e) => setModel(value(e))} />
          <datalist id="batch-models">${models.map((m) => html`<option key=${m} value=${m}></option>`)}</datalist>
        </div>
        <div class="catalog-field">
          <label for="batch-label">Label <span class="field-note">optional</span></label>
          <input id="batch-label" type="text" maxlength="80" autocomplete="off" value=${label} onInput=${(/** @type {Event} */ e) => setLabel(value(e))} />
        </div>
      </div>
      <div class="form-foot">
        <button type="button" class="button" onClick=${onTest} disabled=${busy || missing !== null}>${test.pending ? 'Testing…' : 'Test connection'}</button>
        <button type="submit" class="button" data-tone="primary" disabled=${busy || missing !== null}>${save.pending ? 'Saving…' : 'Save endpoint'}</button>
        ${missing && html`<span class="field-note">Fill in ${missing} first.</span>`}
      </div>
      ${connection && html`<${Connected} c=${connection} />`}
      ${error && html`<p class="callout" data-tone="warn" role="alert" data-testid="connect-error">${error}</p>`}
      <p class="status-line" role="status" data-testid="connect-saved">${saved}</p>
    </form>
  </section>`;
}
