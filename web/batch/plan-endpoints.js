// @ts-check
/**
 * Which endpoints a planned run goes to: the one picked (A), and B — a second saved endpoint, or
 * another model on the same endpoint and key, so two models can be compared with one endpoint.
 */
import { html } from '../lib/html.js';
import { TAGS } from './format.js';

/**
 * @param {{
 *   sessions: import('../../shared/batch-types.js').BatchSession[],
 *   compare: string | null,
 *   onCompare: (model: string | null) => void,
 *   models: string[],
 * }} props compare: the other model on the one endpoint (null: off); models: suggestions for it
 */
export function BatchPlanEndpoints({ sessions, compare, onCompare, models }) {
  const names = sessions.map((s) => s.label ?? s.model);
  const one = sessions.length === 1;
  return html`<div class="batch-plan-endpoints" data-testid="plan-endpoints">
    <p>
      ${one && compare === null ? 'Runs on ' : 'Compares '}
      ${names.map((n, i) => html`${i > 0 && ' and '}<span class="batch-tag" data-series=${i}>${TAGS[i]}</span> <strong>${n}</strong>`)}
      ${one && compare !== null && html` and <span class="batch-tag" data-series="1">B</span> <strong>${compare.trim() || 'another model'}</strong> on the same endpoint`}.
      <span class="muted"> Your key pays your provider; nothing runs until you press Run.</span>
    </p>
    ${
      one &&
      html`<div class="batch-compare-model">
      <label class="check">
        <input type="checkbox" checked=${compare !== null} onChange=${() => onCompare(compare === null ? '' : null)} />
        Compare with another model on this endpoint
      </label>
      ${
        compare !== null &&
        html`<div class="catalog-field">
        <label for="batch-compare-model">Model B</label>
        <input id="batch-compare-model" type="text" spellcheck=${false} autocomplete="off" list="batch-models" value=${compare} placeholder="a model id your endpoint serves"
          onInput=${(/** @type {Event} */ e) => onCompare(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        ${models.length === 0 && html`<span class="field-note">Test the connection above to get the endpoint's list of models here.</span>`}
      </div>`
      }
    </div>`
    }
  </div>`;
}
