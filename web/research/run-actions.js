// @ts-check
/** What the run's owner may do now: one more cycle when it is done, cancel while it runs, resume after a failure. */
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { count } from '../lib/format.js';
import { isBusy, runPath } from './format.js';
import { useAction } from '../lib/use-action.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/**
 * @param {{
 *   run: Run,
 *   usage: import('../lib/use-usage.js').Usage | null,
 *   onChanged: (run?: Run) => void,
 * }} props onChanged: with the run when the server answered one, else it is loaded again
 */
export function RunActions({ run, usage, onChanged }) {
  const { pending, error, act } = useAction();
  const cyclesLeft = usage?.key_mode === 'server' ? Math.max(0, usage.session.cycles_limit - usage.session.cycles_used) : null;

  const next = () => act(() => api(runPath(run.id, '/cycles'), { body: { cycles: 1 } })).then((r) => r && onChanged());
  const cancel = () => act(() => api(runPath(run.id, '/cancel'), { method: 'POST' })).then((r) => r && onChanged(r));
  const resume = () => act(() => api(runPath(run.id, '/resume'), { method: 'POST' })).then((r) => r && onChanged());

  let buttons = null;
  if (isBusy(run.state)) {
    buttons = html`<button type="button" class="button" data-tone="danger" onClick=${cancel} disabled=${pending}>Cancel</button>
      <span class="field-note">What is done stays; cycles not started are given back.</span>`;
  } else if (run.state === 'interrupted' || run.state === 'failed') {
    buttons = html`<button type="button" class="button" data-tone="primary" onClick=${resume} disabled=${pending}>Resume</button>
      <span class="field-note">Continues the cycle from its last finished step.</span>`;
  } else if (run.state !== 'refused') {
    const none = cyclesLeft === 0;
    buttons = html`<button type="button" class="button" data-tone="primary" onClick=${next} disabled=${pending || none}>Next cycle</button>
      ${cyclesLeft !== null && html`<span class="field-note" data-testid="cycles-left">${none ? 'No cycles left this session.' : `${count(cyclesLeft, 'cycle')} left this session`}</span>`}`;
  }
  if (!buttons) return null;
  return html`<div class="run-actions">
    ${buttons}
    ${error && html`<p class="callout" data-tone="warn" role="alert" data-testid="action-error">${error}</p>`}
  </div>`;
}
