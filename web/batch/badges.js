// @ts-check
/** Small marks for one result: answered or the error code, and its check passed or failed (the detail on hover). */
import { html } from '../lib/html.js';

/** @typedef {import('../../shared/batch-types.js').BatchResult} BatchResult */

/** @param {{ r: BatchResult }} props */
export const StatusMark = ({ r }) =>
  html`<span class="batch-status" data-ok=${r.ok ? 'true' : 'false'} title=${r.error_message ?? undefined}>${r.ok ? 'ok' : (r.error_code ?? 'error')}</span>`;

/** @param {{ r: BatchResult }} props */
export const CheckMark = ({ r }) =>
  r.check === null
    ? html`<span class="muted" title="No check on this prompt">—</span>`
    : html`<span class="batch-check" data-check=${r.check} title=${r.check_detail ?? undefined}>${r.check === 'pass' ? 'pass' : 'fail'}</span>`;
