// @ts-check
/**
 * The start form's advanced settings, in a <details>: reasoning (output tokens a thinking model
 * may spend first), tournament size, debates, Elo K and the temperature of each step. A field
 * left alone shows the server's own value (from the last estimate) and is not sent; only what the
 * visitor changed goes with the run.
 */
import { html } from '../lib/html.js';
import { FIELDS, MAX_TEMPERATURE, parseOverrides, REASONING, TEMPERATURES } from './run-settings-values.js';

/** @typedef {import('./run-settings-values.js').Overrides} Overrides */

/**
 * @param {{
 *   typed: Overrides,
 *   onType: (typed: Overrides) => void,
 *   shown: Record<string, any> | null,
 *   debate: boolean,
 * }} props shown: the settings the server last said it would use
 */
export function RunSettings({ typed, onType, shown, debate }) {
  const { bad } = parseOverrides(typed);
  /** @param {string} key @returns {string} */
  const settingValue = (key) => {
    if (key in typed) return typed[key] ?? '';
    const v = key.startsWith('t.') ? shown?.temperatures?.[key.slice(2)] : shown?.[key];
    return v === undefined ? '' : String(v);
  };
  /** @param {string} key @param {Event} e */
  const set = (key, e) => onType({ ...typed, [key]: /** @type {HTMLInputElement | HTMLSelectElement} */ (e.currentTarget).value });
  const changed = Object.keys(typed).length;

  return html`<details class="plan-advanced" data-testid="run-settings">
    <summary>Advanced settings${changed ? ` (${changed} changed)` : ''}</summary>
    <div class="catalog-field settings-reasoning">
      <label for="set-reasoning">Reasoning (models that think first)</label>
      <select id="set-reasoning" value=${settingValue('reasoning') || 'off'} aria-describedby="set-reasoning-note"
        onChange=${(/** @type {Event} */ e) => set('reasoning', e)}>
        ${REASONING.map(([v, label]) => html`<option key=${v} value=${v}>${label}</option>`)}
      </select>
      <span id="set-reasoning-note" class="field-note">Adds 1,024–8,192 output tokens per call for the model to think; priced in the plan.</span>
    </div>
    <div class="settings-grid">
      ${FIELDS.map(
        (f) => html`<div class="catalog-field" key=${f.key}>
          <label for=${`set-${f.key}`}>${f.label}</label>
          <input id=${`set-${f.key}`} type="number" inputmode="numeric" min=${f.min} max=${f.max} step="1" value=${settingValue(f.key)}
            disabled=${f.debate && !debate} onInput=${(/** @type {Event} */ e) => set(f.key, e)}
            aria-invalid=${bad.includes(f.key) ? 'true' : 'false'} aria-describedby=${`set-${f.key}-note`} />
          <span id=${`set-${f.key}-note`} class="field-note">${f.note} (${f.min}–${f.max})</span>
        </div>`,
      )}
    </div>
    <fieldset class="settings-temps">
      <legend>Temperature of each step <span class="field-note">0 is steady, ${MAX_TEMPERATURE} is adventurous</span></legend>
      <div class="settings-grid">
        ${TEMPERATURES.map(
          ([step, label]) => html`<div class="catalog-field" key=${step}>
            <label for=${`set-t-${step}`}>${label}</label>
            <input id=${`set-t-${step}`} type="number" inputmode="decimal" min="0" max=${MAX_TEMPERATURE} step="0.1" value=${settingValue(`t.${step}`)}
              onInput=${(/** @type {Event} */ e) => set(`t.${step}`, e)} aria-invalid=${bad.includes(`t.${step}`) ? 'true' : 'false'} />
          </div>`,
        )}
      </div>
    </fieldset>
    ${bad.length > 0 && html`<p class="field-error" role="alert">Some values are out of range; they are left out until fixed.</p>`}
    ${changed > 0 && html`<button type="button" class="link-button" onClick=${() => onType({})}>Back to this Space’s defaults</button>`}
  </details>`;
}
