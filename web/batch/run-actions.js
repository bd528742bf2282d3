// @ts-check
/** What can be done with a batch run now: cancel it, resume it, retry the failed prompts, export it. */
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { batchExportHref, batchRunPath, isActive } from './format.js';
import { useAction } from '../lib/use-action.js';

/** @param {{ run: import('../../shared/batch-types.js').BatchRun, onChanged: () => void }} props */
export function BatchRunActions({ run, onChanged }) {
  const { pending, error, act } = useAction();
  const active = isActive(run.state);
  const stopped = run.state === 'interrupted' || run.state === 'cancelled' || run.state === 'failed';
  /** @param {string} rest */
  const call = (rest) => act(() => api(batchRunPath(run.id, rest), { body: {} })).then((r) => r && onChanged());

  return html`<div class="run-actions" data-testid="batch-actions">
    ${active && html`<button type="button" class="button" data-tone="danger" onClick=${() => call('/cancel')} disabled=${pending}>Cancel</button>`}
    ${stopped && html`<button type="button" class="button" data-tone="primary" onClick=${() => call('/resume')} disabled=${pending}>Resume</button>`}
    <button type="button" class="button" onClick=${() => call('/retry-failed')} disabled=${pending || active || run.failed === 0}
      title=${active ? 'Wait for the run to stop' : run.failed === 0 ? 'Nothing failed' : undefined}>Retry ${run.failed > 0 ? run.failed : ''} failed</button>
    <span class="run-export" role="group" aria-label="Export">
      <a class="button" href=${batchExportHref(run.id, 'csv')} download data-testid="export-csv">Export CSV</a>
      <a class="button" href=${batchExportHref(run.id, 'json')} download data-testid="export-json">Export JSON</a>
    </span>
    ${error && html`<p class="callout" data-tone="warn" role="alert" data-testid="batch-action-error">${error}</p>`}
  </div>`;
}
