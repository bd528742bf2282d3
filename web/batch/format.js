// @ts-check
/** How a batch test reads: provider presets, states, times, rates, endpoint names and links. Pure. */

/** @typedef {import('../../shared/batch-types.js').BatchState} BatchState */
/** @typedef {import('../../shared/batch-types.js').RunEndpoint} RunEndpoint */

/** Base URLs of the OpenAI-compatible APIs people use most; "custom" leaves the URL to the visitor. */
export const PRESETS = /** @type {const} */ ([
  ['openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1'],
  ['openai', 'OpenAI', 'https://api.openai.com/v1'],
  ['groq', 'Groq', 'https://api.groq.com/openai/v1'],
  ['together', 'Together', 'https://api.together.xyz/v1'],
  ['mistral', 'Mistral', 'https://api.mistral.ai/v1'],
  ['deepseek', 'DeepSeek', 'https://api.deepseek.com/v1'],
  ['fireworks', 'Fireworks', 'https://api.fireworks.ai/inference/v1'],
  ['ollama', 'Ollama (local)', 'http://localhost:11434/v1'],
  ['lmstudio', 'LM Studio (local)', 'http://localhost:1234/v1'],
  ['vllm', 'vLLM (local)', 'http://localhost:8000/v1'],
]);

/** @param {string} url @returns {string} the preset whose URL it is, else "custom" */
export const presetOf = (url) => PRESETS.find(([, , u]) => u === url.trim())?.[0] ?? 'custom';

/** @type {Record<BatchState, string>} */
export const BATCH_STATES = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** @param {BatchState} state still on its way: nothing may change it but Cancel */
export const isActive = (state) => state === 'queued' || state === 'running';

/** Endpoints are called A and B everywhere on a run's page (cards, chart, table). */
export const TAGS = ['A', 'B'];

/** @param {{ label: string | null, model: string }} e */
export const endpointName = (e) => (e.label ? `${e.label} · ${e.model}` : e.model);

/** @param {string} id */
export const batchRunHash = (id) => `#/batch/${encodeURIComponent(id)}`;

/**
 * The run a #/batch/<id> link opens (the shared route parser knows ids of research runs only).
 * @param {string} hash
 * @returns {string | null}
 */
export function batchRunIdFromHash(hash) {
  const [tab, id] = hash.replace(/^#\/?/, '').split('/');
  if (tab !== 'batch' || !id) return null;
  try {
    return decodeURIComponent(id);
  } catch {
    return null; // a malformed escape in a hand-typed link
  }
}

/** @param {string} id @param {string} [rest] e.g. "/cancel", for api() */
export const batchRunPath = (id, rest = '') => `batch/runs/${encodeURIComponent(id)}${rest}`;

/** @param {string} id @param {'csv' | 'json'} format a plain link: the cookie carries the session */
export const batchExportHref = (id, format) => `./api/${batchRunPath(id, '/export')}?format=${format}`;

/** @param {number | null | undefined} ms e.g. 2.345 → "2.3 ms", 840 → "840 ms", 1534 → "1.53 s", 61000 → "61.0 s" */
export function msText(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * A stretch of time as people say it, to the second while it is short: 42 → "42 s",
 * 200 → "3 min 20 s", 3900 → "1 h 5 min".
 * @param {number} seconds
 */
export function durationText(seconds) {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 && min < 10 ? `${min} min ${s % 60} s` : `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** @param {number | null | undefined} rate 0..1, e.g. 0.9375 → "93.8%", 1 → "100%" */
export function rateText(rate) {
  if (rate === null || rate === undefined) return '—';
  const p = rate * 100;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

/** @param {number | null | undefined} n a plain number, grouped; null as a dash */
export const numText = (n) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));

/** @param {string} name a file's name without its folder and extension, for an uploaded suite */
export const baseName = (name) => name.replace(/\.[^.]*$/, '').slice(0, 80) || 'Your suite';
