// @ts-check
/** A dot and a word for the live connection; screen readers hear changes politely. */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';

/** @typedef {import('../lib/live.js').LiveState} LiveState */

/**
 * @param {LiveState} state
 * @param {number} now epoch ms
 */
export function liveLabel(state, now) {
  if (state.status === 'connected') return state.transport === 'sse' ? 'Live (SSE)' : 'Live';
  if (state.status === 'connecting') return 'Connecting…';
  if (state.retryAt !== null) return `Reconnecting in ${Math.max(1, Math.ceil((state.retryAt - now) / 1000))}s…`;
  return 'Offline';
}

/** @param {{ state: LiveState, onRetry: () => void }} props */
export function LiveIndicator({ state, onRetry }) {
  const [now, setNow] = useState(Date.now);
  // Tick only while counting down to the next attempt.
  useEffect(() => {
    if (state.retryAt === null) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [state.retryAt]);

  const waiting = state.status === 'offline' && state.retryAt !== null;
  // The visible countdown changes every second; screen readers hear only the change of state.
  const spoken = waiting ? 'Live updates lost. Reconnecting…' : `Live updates: ${liveLabel(state, now)}`;
  return html`<div class="live" data-state=${state.status} data-transport=${state.transport} title="Live updates from the server">
    <span class="live-dot" aria-hidden="true"></span>
    <span class="live-text" aria-hidden="true">${liveLabel(state, now)}</span>
    <span class="sr-only" role="status" aria-live="polite">${spoken}</span>
    ${waiting && html`<button type="button" class="link-button live-retry" onClick=${onRetry}>Retry now</button>`}
  </div>`;
}
