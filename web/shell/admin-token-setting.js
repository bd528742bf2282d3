// @ts-check
/**
 * Settings: the owner's ADMIN_TOKEN, which opens the Admin tab. The server checks it before it is
 * kept, and it is kept in sessionStorage (this browser tab only). Fetched only where the server
 * has an admin token, so other Spaces' visitors never download it.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { checkAdminToken, setAdminToken } from '../gateway/admin-api.js';
import { tabHref } from './route.js';

/**
 * @param {{ open: boolean, adminToken: string | null, onChange: (token: string | null) => void, onClose: () => void }} props
 * open: the dialog opened again, which starts afresh; onChange: the page follows the token (the Admin tab comes and goes)
 */
export function AdminTokenSetting({ open, adminToken, onChange, onClose }) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState(/** @type {string | null} */ (null));
  const [status, setStatus] = useState('');
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    setDraft('');
    setProblem(null);
    setStatus('');
  }, [open]);

  /** @param {Event} e */
  const save = async (e) => {
    e.preventDefault();
    const token = draft.trim();
    setStatus('');
    if (!token) return setProblem('Paste the token first.');
    setChecking(true);
    const accepted = await checkAdminToken(token);
    setChecking(false);
    if (accepted === false) return setProblem('The server refused this token. Paste the ADMIN_TOKEN secret exactly as it is set on the server.');
    setProblem(null);
    setDraft('');
    setAdminToken(token);
    onChange(token);
    setStatus(
      accepted
        ? 'Saved for this tab: the Admin tab is open to you now.'
        : 'Saved, but the server could not be asked whether it is right; the Admin tab will tell.',
    );
  };
  const remove = () => {
    setAdminToken(null);
    onChange(null);
    setStatus('Removed. This tab no longer holds the admin token.');
  };

  return html`<section class="setting" aria-labelledby="admin-title" data-testid="admin-setting">
    <h3 id="admin-title">Admin token</h3>
    <p>For this Space's owner: the <code>ADMIN_TOKEN</code> secret opens the Admin tab, where you issue keys for the <code>/v1</code> API and see what each one used.</p>
    ${
      adminToken &&
      html`<div class="saved-key">
      <span>An admin token is saved for this tab. <a href=${tabHref('admin')} onClick=${onClose}>Open the Admin tab</a></span>
      <button type="button" class="button" data-tone="danger" onClick=${remove}>Remove</button>
    </div>`
    }
    <form class="key-form" onSubmit=${save} novalidate>
      <label for="admin-input">${adminToken ? 'Replace the admin token' : 'Admin token'}</label>
      <div class="input-row">
        <input id="admin-input" type="password" value=${draft} autocomplete="off" spellcheck=${false}
          onInput=${(/** @type {Event} */ e) => setDraft(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? 'admin-error admin-note' : 'admin-note'} />
        <button type="submit" class="button" data-tone="primary" disabled=${checking}>${checking ? 'Checking…' : 'Save token'}</button>
      </div>
      ${problem && html`<p id="admin-error" class="field-error" role="alert">${problem}</p>`}
    </form>
    <p class="status-line" role="status" aria-live="polite">${status}</p>
    <p id="admin-note" class="note">Kept in this browser tab only (sessionStorage): closing the tab forgets it. It goes only to this server's admin API, never into a link or a log.</p>
  </section>`;
}
