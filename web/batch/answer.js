// @ts-check
/** One prompt's answer from one endpoint in full: status, timings, the check's verdict, the error's advice, the text. */
import { html } from '../lib/html.js';
import { msText, numText } from './format.js';
import { CheckMark, StatusMark } from './badges.js';

/** @param {{ result: import('../../shared/batch-types.js').BatchResult | undefined }} props */
export function BatchAnswer({ result: r }) {
  if (!r) return html`<p class="muted">No answer yet.</p>`;
  return html`<div class="batch-answer" data-ok=${r.ok ? 'true' : 'false'}>
    <p class="batch-answer-meta">
      <${StatusMark} r=${r} />
      <span>${msText(r.latency_ms)}</span>
      ${r.ttft_ms !== null && html`<span>first token ${msText(r.ttft_ms)}</span>`}
      ${r.tokens_out !== null && html`<span>${numText(r.tokens_out)} tokens out</span>`}
      ${r.retries > 0 && html`<span>${r.retries} ${r.retries === 1 ? 'retry' : 'retries'}${r.total_ms ? `, ${msText(r.total_ms)} in all` : ''}</span>`}
      ${r.model_answered && html`<span><code>${r.model_answered}</code></span>`}
    </p>
    ${r.check !== null && html`<p class="batch-check-line"><${CheckMark} r=${r} /> ${r.check_detail ?? ''}</p>`}
    ${!r.ok && r.error_message && html`<p class="callout" data-tone="warn">${r.error_message}</p>`}
    ${r.answer ? html`<div class="batch-answer-text" tabindex="0">${r.answer}</div>` : html`<p class="muted">No text came back.</p>`}
    ${r.answer_truncated && html`<p class="field-note">The answer was longer; this is as much as Labcoat keeps (the export has the same).</p>`}
  </div>`;
}
