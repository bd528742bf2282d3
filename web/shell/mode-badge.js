// @ts-check
/** Says in one word who pays for model calls here; the title says it in a sentence. */
import { html } from '../lib/html.js';

/** @type {Record<import('../lib/mode.js').EffectiveMode, { label: string, title: string }>} */
const BADGES = {
  inference: { label: 'Inference', title: 'This Space has its own key: model calls run within its quotas.' },
  byok: { label: 'Your key', title: 'Model calls use the key you saved in Settings; you pay the provider.' },
  'data-only': { label: 'Data-only', title: 'No key here yet: browse models and saved results; add a key for model calls.' },
};

/** @param {{ mode: import('../lib/mode.js').EffectiveMode | null }} props null until the server's settings arrive */
export function ModeBadge({ mode }) {
  if (!mode) return null;
  const { label, title } = BADGES[mode];
  return html`<span class="badge" data-mode=${mode} title=${title}><span class="sr-only">Mode: </span>${label}</span>`;
}
