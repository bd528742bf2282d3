// @ts-check
/**
 * The start form's advanced settings, in a <details>: tournament size, debates, Elo K and the
 * temperature of each step. A field left alone shows the server's own value (from the last
 * estimate) and is not sent; only what the visitor changed goes with the run.
 */
import { html } from '../lib/html.js';

/** @typedef {{ key: string, label: string, min: number, max: number, note: string, debate?: boolean }} NumberField */

/** @type {NumberField[]} */
const FIELDS = [
  { key: 'top_k', label: 'Leaders evolved', min: 0, max: 5, note: 'Best hypotheses improved each round' },
  { key: 'matches_per_entrant', label: 'Matches per newcomer', min: 1, max: 6, note: 'Each new hypothesis meets this many' },
  { key: 'debate_pairs', label: 'Debates per round', min: 0, max: 3, note: 'Closest top pairs that debate', debate: true },
  { key: 'debate_turns', label: 'Debate turns', min: 2, max: 6, note: 'Verdict included; rounded up so both sides speak equally', debate: true },
  { key: 'elo_k', label: 'Elo K-factor', min: 4, max: 64, note: 'Points one match can move' },
];

const TEMPERATURES = [
  ['screen', 'Screening'],
  ['generate', 'Generating'],
  ['review', 'Reviewing'],
  ['judge', 'Judging'],
  ['evolve', 'Evolving'],
  ['meta', 'Meta-review'],
];
const MAX_TEMPERATURE = 1.5;

/** @typedef {Record<string, string>} Overrides typed values by key; temperatures as "t.<step>" */

/**
 * The settings to send, from what was typed; `bad` names fields that are out of range.
 * @param {Overrides} typed
 * @returns {{ settings: Record<string, any>, bad: string[] }}
 */
export function parseOverrides(typed) {
  /** @type {Record<string, any>} */
  const settings = {};
  /** @type {Record<string, number>} */
  const temperatures = {};
  const bad = [];
  for (const [key, text] of Object.entries(typed)) {
    const n = Number(text);
    if (key.startsWith('t.')) {
      if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_TEMPERATURE) bad.push(key);
      else temperatures[key.slice(2)] = n;
      continue;
    }
    const f = FIELDS.find((x) => x.key === key);
    if (!f || text.trim() === '' || !Number.isInteger(n) || n < f.min || n > f.max) bad.push(key);
    else settings[key] = n;
  }
  if (Object.keys(temperatures).length) settings.temperatures = temperatures;
  return { settings, bad };
}

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
  const set = (key, e) => onType({ ...typed, [key]: /** @type {HTMLInputElement} */ (e.currentTarget).value });
  const changed = Object.keys(typed).length;

  return html`<details class="plan-advanced" data-testid="run-settings">
    <summary>Advanced settings${changed ? ` (${changed} changed)` : ''}</summary>
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
