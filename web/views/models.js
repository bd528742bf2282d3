// @ts-check
/** Models tab: the catalog is for everyone, key or not. For now: the whitelist from /api/config. */
import { html } from '../lib/html.js';
import { PlannedNote } from '../components/planned-note.js';

/**
 * "provider/model" may break after the slash on a phone, rather than mid-name.
 * @param {string} id
 */
function breakable(id) {
  const slash = id.indexOf('/');
  return slash < 0 ? id : html`${id.slice(0, slash + 1)}<wbr />${id.slice(slash + 1)}`;
}

/** @param {import('./view-props.js').ViewProps} props */
export function ModelsView({ config, mode }) {
  const models = config.allowed_models;
  const beyond = config.key_modes.byok_any_model
    ? mode === 'byok'
      ? 'With your own key you may also use models beyond this list.'
      : 'With your own key (Settings) you may also use models beyond this list.'
    : 'Model calls here are limited to this list, whichever key pays.';
  return html`<div class="view">
    <h2>Models</h2>
    <p class="lead">Browse the model catalog without a key: prices per million tokens, context length, tier, and whether a model is free.</p>

    <section class="card" aria-labelledby="allowed-title">
      <h3 id="allowed-title">Models this Space allows <span class="heading-note">(${config.deployment_env} list, ${models.length})</span></h3>
      ${models.length
        ? html`<ul class="model-list">${models.map((id) => html`<li><code>${breakable(id)}</code></li>`)}</ul>`
        : html`<p>The owner has not allowed any models yet.</p>`}
      <p class="muted">${beyond}</p>
    </section>
    <${PlannedNote}>The full catalog comes next, with prices, context lengths and tiers from OpenRouter when it is reachable and from a shipped snapshot when it is not.<//>
  </div>`;
}
