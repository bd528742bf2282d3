// @ts-check
/** Quiet facts at the bottom: the job queue right now, the version, the machine-readable links. */
import { html } from '../lib/html.js';

/**
 * @param {{ queue: import('../lib/use-live.js').QueueCounts | null, version: string | null }} props
 */
export function SiteFooter({ queue, version }) {
  return html`<footer class="site-footer">
    <span class="queue-status" data-testid="queue-status" title="Jobs on this server right now">
      ${queue ? `${queue.running} running · ${queue.queued} queued` : 'Queue: waiting for the server…'}
    </span>
    <span class="footer-links">
      ${version && html`<span>Labcoat v${version}</span>`}
      <a href="./health">/health</a>
      <a href="./metrics">/metrics</a>
    </span>
  </footer>`;
}
