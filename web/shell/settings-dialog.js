// @ts-check
/**
 * Settings, in a native modal <dialog>: it traps focus, closes on Esc, and we hand focus back
 * to whatever opened it. It holds the visitor's own OpenRouter key and, where the server has an
 * ADMIN_TOKEN, the owner's admin token (admin-token-setting.js, fetched only there).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { keyProblem, maskKey, removeKey, saveKey } from '../lib/byok.js';
import { html } from '../lib/html.js';
import { Close, External } from '../lib/icons.js';
import { lazy, useLazy } from '../lib/lazy.js';

const adminTokenModule = lazy(() => import('./admin-token-setting.js'));

/**
 * @param {{
 *   open: boolean,
 *   onClose: () => void,
 *   storedKey: string | null,
 *   byokEnabled: boolean | null,
 *   adminApi?: boolean,
 *   adminToken?: string | null,
 *   onAdminToken?: (token: string | null) => void,
 * }} props byokEnabled is null until the server's settings arrive; adminApi: the server has an ADMIN_TOKEN
 */
export function SettingsDialog({ open, onClose, storedKey, byokEnabled, adminApi = false, adminToken = null, onAdminToken = () => {} }) {
  const dialogRef = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const inputRef = useRef(/** @type {HTMLInputElement | null} */ (null));
  const [draft, setDraft] = useState('');
  const [reveal, setReveal] = useState(false);
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [status, setStatus] = useState('');
  const admin = useLazy(adminTokenModule, adminApi && open).mod;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!open || !dialog) return undefined;
    const opener = /** @type {HTMLElement | null} */ (document.activeElement);
    setDraft('');
    setError(null);
    setStatus('');
    setReveal(false);
    dialog.showModal();
    if (inputRef.current && !inputRef.current.disabled) inputRef.current.focus();
    return () => {
      // Close first: nothing outside a modal dialog can take focus while it is open.
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, [open]);

  const disabled = byokEnabled !== true;

  /** @param {Event} e */
  const onSave = (e) => {
    e.preventDefault();
    const key = draft.trim();
    const problem = keyProblem(key);
    setError(problem);
    if (problem) return inputRef.current?.focus();
    saveKey(key);
    setDraft('');
    setReveal(false);
    setStatus(`Saved. This browser now sends ${maskKey(key)} with your requests.`);
  };

  const onRemove = () => {
    removeKey();
    setStatus('Removed. This browser no longer sends a key.');
    inputRef.current?.focus();
  };

  /** @param {MouseEvent} e A click on the backdrop lands on the dialog itself. */
  const onDialogClick = (e) => {
    if (e.target === dialogRef.current) onClose();
  };

  return html`<dialog class="dialog" ref=${dialogRef} aria-labelledby="settings-title" onClose=${onClose} onClick=${onDialogClick}>
    <div class="dialog-body">
      <div class="dialog-head">
        <h2 id="settings-title">Settings</h2>
        <button type="button" class="icon-button" onClick=${onClose} aria-label="Close settings"><${Close} /></button>
      </div>

      <section class="setting" aria-labelledby="byok-title">
        <h3 id="byok-title">Your own OpenRouter key</h3>
        <p>With your own key, model calls run on your OpenRouter account: you pay the provider directly, and this Space's quotas and spending cap do not apply to you (its rate limits still do).</p>
        ${
          byokEnabled === false &&
          html`<p class="callout" data-tone="warn">This Space does not accept visitors' keys. Its owner has turned that off; you can still duplicate the Space and use your key there.</p>`
        }
        ${
          storedKey &&
          html`<div class="saved-key">
          <span>Saved key: <code data-testid="masked-key">${maskKey(storedKey)}</code></span>
          <button type="button" class="button" data-tone="danger" onClick=${onRemove}>Remove</button>
        </div>`
        }

        <form class="key-form" onSubmit=${onSave} novalidate>
          <label for="byok-input">${storedKey ? 'Replace it with another key' : 'API key'}</label>
          <div class="input-row">
            <input
              id="byok-input"
              ref=${inputRef}
              type=${reveal ? 'text' : 'password'}
              value=${draft}
              onInput=${(/** @type {InputEvent} */ e) => setDraft(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
              placeholder="sk-or-v1-…"
              autocomplete="off"
              autocapitalize="off"
              spellcheck=${false}
              disabled=${disabled}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${error ? 'byok-error byok-note' : 'byok-note'}
            />
            <button type="button" class="button" onClick=${() => setReveal(!reveal)} aria-pressed=${reveal ? 'true' : 'false'} disabled=${disabled}>
              ${reveal ? 'Hide' : 'Show'}
            </button>
          </div>
          ${error && html`<p id="byok-error" class="field-error">${error}</p>`}
          <div class="form-actions">
            <button type="submit" class="button" data-tone="primary" disabled=${disabled}>Save key</button>
          </div>
        </form>
        <p class="status-line" role="status" aria-live="polite">${status}</p>

        <p id="byok-note" class="note">Your key stays in this browser. Labcoat sends it with each request to the model provider and never stores or logs it.</p>
        <p class="muted">No key yet? Create one at <a href="https://openrouter.ai/keys" target="_blank" rel="noopener noreferrer">openrouter.ai/keys<${External} /></a>.</p>
      </section>
      ${adminApi && admin && html`<${admin.AdminTokenSetting} open=${open} adminToken=${adminToken} onChange=${onAdminToken} onClose=${onClose} />`}
    </div>
  </dialog>`;
}
