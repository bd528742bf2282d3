// @ts-check
/**
 * Issue a gateway key (POST admin/api/keys): a name, the models it may use (every whitelisted one
 * by default), and its limits; empty limits take the Space's defaults. The key itself comes back
 * once, and AdminCreatedKey shows it once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { adminApi } from './admin-api.js';
import { useAction } from '../lib/use-action.js';
import { CopyButton } from './api-copy-button.js';

/** @typedef {import('./admin-api.js').IssuedKey} IssuedKey */

/** The limit fields: [field, label, integer]. */
const LIMITS = /** @type {const} */ ([
  ['rpm', 'Requests per minute', true],
  ['max_concurrent', 'Requests at once', true],
  ['daily_usd', 'Daily limit, USD', false],
  ['monthly_usd', 'Monthly limit, USD', false],
]);
/** @typedef {typeof LIMITS[number][0]} LimitField */
/** @typedef {{ rpm: number, max_concurrent: number, daily_usd: number | null }} KeyDefaults */

/**
 * What an empty field means: the Space's default for this field (from /api/config), or none.
 * @param {LimitField} field @param {KeyDefaults | undefined} defaults
 */
function emptyMeans(field, defaults) {
  if (field === 'monthly_usd') return 'Empty: none.';
  const value = defaults?.[field];
  if (value === undefined) return "Empty: the Space's default.";
  if (value === null) return "Empty: the Space's default (none).";
  return `Empty: the Space's default (${field === 'daily_usd' ? `$${value}` : value}).`;
}

/** @param {Event} e */
const inputValue = (e) => /** @type {HTMLInputElement} */ (e.currentTarget).value;

/**
 * The request body from the form's fields, or what is wrong with them.
 * @param {{ name: string, scope: 'all' | 'some', picked: string[], limits: Record<LimitField, string>, expires: string }} f
 * @returns {{ body: Record<string, unknown> } | { problem: string }}
 */
function keyBody(f) {
  /** @type {Record<string, unknown>} */
  const body = { name: f.name.trim() };
  if (!body.name) return { problem: 'Give the key a name, so you know whose usage is whose.' };
  if (f.scope === 'some') {
    if (f.picked.length === 0) return { problem: 'Pick at least one model, or allow all of them.' };
    body.models = f.picked;
  }
  for (const [field, label, integer] of LIMITS) {
    const text = f.limits[field].trim();
    if (text === '') continue;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || (integer && (!Number.isInteger(n) || n < 1)))
      return { problem: `${label}: ${integer ? 'a whole number, 1 or more' : 'an amount, 0 or more'}.` };
    body[field] = n;
  }
  // Valid through the whole chosen day, in UTC like the usage days.
  if (f.expires) body.expires_at = `${f.expires}T23:59:59.999Z`;
  return { body };
}

/**
 * @param {{ models: Array<{ id: string, price: boolean }>, defaults?: KeyDefaults | undefined, onCreated: (k: IssuedKey & { key: string }) => void }} props
 * models: the whitelist; those without a known price cannot be served by the gateway
 */
export function AdminKeyForm({ models, defaults, onCreated }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState(/** @type {'all' | 'some'} */ ('all'));
  const [picked, setPicked] = useState(/** @type {string[]} */ ([]));
  const [limits, setLimits] = useState(/** @type {Record<LimitField, string>} */ ({ rpm: '', max_concurrent: '', daily_usd: '', monthly_usd: '' }));
  const [expires, setExpires] = useState('');
  const [problem, setProblem] = useState(/** @type {string | null} */ (null));
  const { pending, error, act } = useAction();

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    const made = keyBody({ name, scope, picked, limits, expires });
    setProblem('problem' in made ? made.problem : null);
    if ('problem' in made) return;
    /** @type {(IssuedKey & { key: string }) | undefined} */
    const k = await act(() => adminApi('keys', { body: made.body }));
    if (!k) return;
    setName('');
    onCreated(k);
  };
  /** @param {string} id @param {boolean} on */
  const pick = (id, on) => setPicked((p) => (on ? [...p, id] : p.filter((m) => m !== id)));
  const today = new Date().toISOString().slice(0, 10);
  const shown = problem ?? error;

  return html`<section class="card" aria-labelledby="admin-create-title" data-testid="admin-create">
    <h3 id="admin-create-title">Create a key</h3>
    <form class="batch-form" onSubmit=${submit} novalidate>
      <div class="catalog-field">
        <label for="key-name">Name</label>
        <input id="key-name" type="text" maxlength="80" autocomplete="off" placeholder="e.g. Data team notebook" value=${name} onInput=${(/** @type {Event} */ e) => setName(inputValue(e))} />
      </div>
      <fieldset>
        <legend>Models</legend>
        <div class="admin-scope">
          <label class="check"><input type="radio" name="key-scope" checked=${scope === 'all'} onChange=${() => setScope('all')} /> Every whitelisted model, now and later</label>
          <label class="check"><input type="radio" name="key-scope" checked=${scope === 'some'} onChange=${() => setScope('some')} /> Only these</label>
        </div>
        ${
          scope === 'some' &&
          html`<ul class="batch-suite-list" aria-label="Models this key may use">
          ${models.map(
            (m) => html`<li key=${m.id}>
              <label class="check">
                <input type="checkbox" checked=${picked.includes(m.id)} disabled=${!m.price} onChange=${(/** @type {Event} */ e) => pick(m.id, /** @type {HTMLInputElement} */ (e.currentTarget).checked)} />
                <code>${m.id}</code> ${!m.price && html`<span class="field-note">no known price, so the gateway cannot serve it</span>`}
              </label>
            </li>`,
          )}
        </ul>`
        }
      </fieldset>
      <div class="batch-form-pair">
        ${LIMITS.map(
          ([field, label, integer]) => html`<div class="catalog-field" key=${field}>
            <label for=${`key-${field}`}>${label}</label>
            <input id=${`key-${field}`} type="number" inputmode=${integer ? 'numeric' : 'decimal'} min=${integer ? 1 : 0} step=${integer ? 1 : 0.01}
              value=${limits[field]} onInput=${(/** @type {Event} */ e) => setLimits((l) => ({ ...l, [field]: inputValue(e) }))} aria-describedby=${`key-${field}-note`} />
            <span id=${`key-${field}-note`} class="field-note">${emptyMeans(field, defaults)}</span>
          </div>`,
        )}
        <div class="catalog-field">
          <label for="key-expires">Expires after</label>
          <input id="key-expires" type="date" min=${today} value=${expires} onInput=${(/** @type {Event} */ e) => setExpires(inputValue(e))} aria-describedby="key-expires-note" />
          <span id="key-expires-note" class="field-note">The end of that day, UTC. Empty: never.</span>
        </div>
      </div>
      <div class="form-foot">
        <button type="submit" class="button" data-tone="primary" disabled=${pending}>${pending ? 'Creating…' : 'Create key'}</button>
      </div>
      ${shown && html`<p class="callout" data-tone="warn" role="alert" data-testid="create-error">${shown}</p>`}
    </form>
  </section>`;
}

/**
 * The new key, once: copy it now, it is never shown again (the server keeps only its hash).
 * @param {{ created: IssuedKey & { key: string }, onDone: () => void }} props
 */
export function AdminCreatedKey({ created, onDone }) {
  const ref = useRef(/** @type {HTMLElement | null} */ (null));
  useEffect(() => ref.current?.focus(), [created.id]);
  return html`<section class="admin-created setting" ref=${ref} tabindex="-1" aria-labelledby="created-title" data-testid="created-key-box">
    <h3 id="created-title">New key for “${created.name}”</h3>
    <p><strong>Copy it now: it will not be shown again.</strong> Labcoat keeps only a hash of it; a lost key cannot be recovered, only revoked and replaced.</p>
    <div class="input-row">
      <input id="created-key" type="text" readonly value=${created.key} aria-label="The new key" data-testid="created-key" onFocus=${(/** @type {Event} */ e) => /** @type {HTMLInputElement} */ (e.currentTarget).select()} />
      <${CopyButton} text=${created.key} targetId="created-key" label="Copy the new key" tone="primary" />
    </div>
    <p><button type="button" class="button" onClick=${onDone}>I have copied it</button></p>
  </section>`;
}
