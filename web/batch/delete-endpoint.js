// @ts-check
/**
 * Delete a saved endpoint, asked twice: the first press says what goes (its key, and every run
 * that used it), the second deletes (DELETE batch/sessions/:id). Keyboard focus follows.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { useAction } from '../lib/use-action.js';

/** @param {{ id: string, name: string, onDeleted: () => void }} props name: what the buttons call it */
export function BatchDeleteEndpoint({ id, name, onDeleted }) {
  const [asking, setAsking] = useState(false);
  const { pending, error, act } = useAction();
  const confirmRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const openRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const first = useRef(true);
  useEffect(() => {
    if (first.current) return void (first.current = false);
    (asking ? confirmRef : openRef).current?.focus();
  }, [asking]);

  const remove = async () => {
    const done = await act(() => api(`batch/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }).then(() => true));
    if (done) onDeleted();
  };

  if (!asking) {
    return html`<button type="button" class="button" data-tone="danger" ref=${openRef} onClick=${() => setAsking(true)} aria-label=${`Delete endpoint ${name}`}>Delete</button>`;
  }
  return html`<div class="batch-confirm" role="group" aria-label=${`Delete endpoint ${name}?`} data-testid="delete-confirm">
    <p>This deletes the key of <strong>${name}</strong> from the server now, with every run that used it.</p>
    <div class="form-foot">
      <button type="button" class="button" data-tone="danger" ref=${confirmRef} onClick=${remove} disabled=${pending}>${pending ? 'Deleting…' : 'Delete endpoint and its runs'}</button>
      <button type="button" class="button" onClick=${() => setAsking(false)} disabled=${pending}>Keep it</button>
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </div>`;
}
