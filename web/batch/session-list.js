// @ts-check
/** The endpoints saved for this session: pick one for a run, or two to compare them; delete one (that part loads once there is one). */
import { html } from '../lib/html.js';
import { localTime } from '../lib/format.js';
import { TAGS } from './format.js';
import { lazy } from '../lib/lazy.js';
import { LazyPart } from '../lib/lazy-part.js';

const deleteEndpointModule = lazy(() => import('./delete-endpoint.js'));

/** @typedef {import('../../shared/batch-types.js').BatchSession} BatchSession */

/**
 * @param {{
 *   sessions: BatchSession[] | null,
 *   error: string | null,
 *   chosen: string[],
 *   onToggle: (id: string) => void,
 *   onDeleted: () => void,
 *   max: number,
 * }} props max: endpoints one address may hold here
 */
export function BatchSessionList({ sessions, error, chosen, onToggle, onDeleted, max }) {
  let body;
  if (error) body = html`<p class="callout" data-tone="warn" role="alert">Your endpoints could not be listed: ${error}</p>`;
  else if (!sessions) body = html`<p class="muted" aria-busy="true">Loading your endpoints…</p>`;
  else if (sessions.length === 0) body = html`<p class="muted">None yet. Save one with the form, and it appears here.</p>`;
  else {
    body = html`<ul class="batch-sessions">
      ${sessions.map((s) => {
        const at = chosen.indexOf(s.id);
        const name = s.label ?? s.model;
        return html`<li key=${s.id} data-testid="batch-session" data-id=${s.id} data-chosen=${at >= 0 ? 'true' : 'false'}>
          <label class="check batch-session-pick">
            <input type="checkbox" checked=${at >= 0} onChange=${() => onToggle(s.id)} />
            <span class="batch-tag" data-series=${at >= 0 ? at : undefined} aria-hidden="true">${at >= 0 ? TAGS[at] : '·'}</span>
            <span class="batch-session-name"><strong>${name}</strong>${s.label && html` <code>${s.model}</code>`}</span>
          </label>
          <span class="run-meta"><code>${s.base_url}</code><span>until ${localTime(s.expires_at)}</span></span>
          <${LazyPart} load=${deleteEndpointModule} text=${null}
            show=${(/** @type {typeof import('./delete-endpoint.js')} */ m) => html`<${m.BatchDeleteEndpoint} id=${s.id} name=${name} onDeleted=${onDeleted} />`} />
        </li>`;
      })}
    </ul>
    <p class="field-note">${
      chosen.length === 2
        ? 'Two picked: the next run compares them side by side.'
        : `To compare two models, tick “Compare with another model” in the plan below${sessions.length > 1 ? ', or pick a second endpoint here' : max > 1 ? ', or save a second endpoint' : ''}.`
    }</p>`;
  }
  return html`<section class="card plan" aria-labelledby="batch-sessions-title" data-testid="batch-sessions">
    <h3 id="batch-sessions-title">Your endpoints <span class="heading-note">(up to ${max} at once)</span></h3>
    ${body}
  </section>`;
}
