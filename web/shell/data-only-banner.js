// @ts-check
/** What works without a key, and the two ways to get model calls: your own key, or your own copy. */
import { html } from '../lib/html.js';
import { External, Info } from '../lib/icons.js';

/**
 * @param {{ config: import('../lib/use-config.js').PublicConfig, onOpenSettings: (e: Event) => void }} props
 */
export function DataOnlyBanner({ config, onOpenSettings }) {
  const { space } = config;
  const byok = config.key_modes.byok;
  const ownCopy = space
    ? html`duplicate this Space and set the <code>OPENROUTER_API_KEY</code> secret in your copy`
    : html`set <code>OPENROUTER_API_KEY</code> where this server runs and restart it`;
  return html`<aside class="banner" aria-labelledby="data-only-title" data-testid="data-only-banner">
    <span class="banner-icon"><${Info} /></span>
    <div class="banner-body">
      <p>
        <strong id="data-only-title">Data-only mode.</strong> No model key here yet: you can browse the model catalog and open saved
        results. To run models, ${byok ? html`add your own OpenRouter key in Settings, or ${ownCopy}` : ownCopy}.
      </p>
      ${
        (byok || space) &&
        html`<div class="banner-actions">
        ${byok && html`<button type="button" class="button" onClick=${onOpenSettings}>Add your key</button>`}
        ${
          space &&
          html`<a class="button" data-tone="primary" href=${space.duplicate_url} target="_blank" rel="noopener">Duplicate this Space<${External} /></a>`
        }
      </div>`
      }
    </div>
  </aside>`;
}
