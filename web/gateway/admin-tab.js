// @ts-check
/**
 * Admin tab, for the Space's owner (shown where Settings holds the admin token): issue keys for
 * the /v1 gateway, see, disable, enable and revoke them, and read what each used (JSON, CSV).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { adminApi, tokenRefused } from './admin-api.js';
import { AdminCreatedKey, AdminKeyForm } from './admin-key-form.js';
import { AdminKeys } from './admin-keys.js';
import { AdminUsage } from './admin-usage.js';

/** @typedef {import('./admin-api.js').IssuedKey} IssuedKey */
/** @typedef {{ id: string, price: boolean }} GatewayModel */

/** @param {import('../shell/view-props.js').ViewProps & { adminToken?: string | null }} props adminToken: Settings may replace it while the tab is open */
export function AdminView({ config, onOpenSettings, adminToken }) {
  const [keys, setKeys] = useState(/** @type {IssuedKey[] | null} */ (null));
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const [created, setCreated] = useState(/** @type {(IssuedKey & { key: string }) | null} */ (null));
  const [models, setModels] = useState(/** @type {GatewayModel[]} */ (config.allowed_models.map((id) => ({ id, price: true }))));

  const reload = useCallback(() => {
    adminApi('keys').then((/** @type {{ keys: IssuedKey[] }} */ r) => {
      setKeys(r.keys);
      setError(null);
    }, setError);
  }, []);
  useEffect(reload, [adminToken]);

  // The whitelist, marked where the catalog knows no price: the gateway cannot meter those, so it does not serve them.
  useEffect(() => {
    const controller = new AbortController();
    api('models', { signal: controller.signal })
      .then((/** @type {{ models: Array<{ id: string, allowed: boolean, price_per_1m: unknown }> }} */ c) =>
        setModels(c.models.filter((m) => m.allowed).map((m) => ({ id: m.id, price: m.price_per_1m !== null }))),
      )
      .catch(() => {
        // the catalog is out of reach: the whitelist alone will do
      });
    return () => controller.abort();
  }, []);

  /** @param {IssuedKey & { key: string }} k */
  const onCreated = (k) => {
    setCreated(k);
    reload();
  };

  let body;
  if (tokenRefused(error)) {
    body = html`<div class="callout" data-tone="warn" role="alert" data-testid="admin-refused">
      <p><strong>The server refused the admin token.</strong> It may have a typo, or the Space's <code>ADMIN_TOKEN</code> secret changed.</p>
      <p><button type="button" class="button" data-tone="primary" onClick=${onOpenSettings}>Check it in Settings</button></p>
    </div>`;
  } else if (error && !keys) {
    body = html`<div class="callout" data-tone="warn" role="alert">
      <p>The keys could not be loaded: ${error instanceof Error ? error.message : String(error)}</p>
      <p><button type="button" class="button" onClick=${reload}>Try again</button></p>
    </div>`;
  } else {
    body = html`
      <${AdminKeyForm} models=${models} defaults=${config.gateway?.key_defaults} onCreated=${onCreated} />
      ${created && html`<${AdminCreatedKey} created=${created} onDone=${() => setCreated(null)} />`}
      <${AdminKeys} keys=${keys} onChanged=${reload} />
      <${AdminUsage} keys=${keys ?? []} onKeysStale=${reload} />
    `;
  }

  // .batch lends the form controls (checks, fieldsets) their shared look.
  return html`<div class="view batch admin">
    <h2>Admin</h2>
    <p class="lead">Keys for this Space's OpenAI-compatible API (<code>/v1</code>), each with its own limits, and what each one used. Only this browser tab holds your admin token.</p>
    ${body}
  </div>`;
}
