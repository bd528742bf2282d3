// @ts-check
/** The failed prompts grouped by error code, each with the server's message (it says what to do). */
import { html } from '../lib/html.js';
import { count } from '../lib/format.js';
import { TAGS } from './format.js';

/** @typedef {import('../../shared/batch-types.js').BatchResult} BatchResult */

/** @param {{ results: BatchResult[], two: boolean }} props */
export function BatchFailures({ results, two }) {
  /** @type {Map<string, BatchResult[]>} */
  const byCode = new Map();
  for (const r of results) {
    if (r.ok) continue;
    const code = r.error_code ?? 'unknown';
    byCode.set(code, [...(byCode.get(code) ?? []), r]);
  }
  if (byCode.size === 0) return null;
  return html`<section class="card" aria-labelledby="batch-failures-title" data-testid="batch-failures">
    <h3 id="batch-failures-title">Failures <span class="heading-note">(${[...byCode.values()].reduce((n, rs) => n + rs.length, 0)})</span></h3>
    <ul class="batch-failures">
      ${[...byCode].map(([code, rs]) => {
        const messages = [...new Set(rs.map((r) => r.error_message ?? 'No message was given.'))];
        return html`<li key=${code} data-testid="failure-code" data-code=${code} data-count=${rs.length}>
          <p><code>${code}</code> · ${count(rs.length, 'prompt')}</p>
          ${messages.slice(0, 3).map((m) => html`<p class="batch-failure-message">${m}</p>`)}
          ${messages.length > 3 && html`<p class="field-note">…and ${messages.length - 3} other messages (see each row below).</p>`}
          <p class="field-note">${rs.map((r) => `${two ? `${TAGS[r.endpoint]} ` : ''}${r.prompt_id}`).join(', ')}</p>
        </li>`;
      })}
    </ul>
  </section>`;
}
