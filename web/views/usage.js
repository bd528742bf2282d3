// @ts-check
/** Usage tab: the quotas that apply here (from /api/config) and the job queue, live. */
import { html } from '../lib/html.js';
import { usd } from '../lib/format.js';
import { Facts } from '../components/facts.js';
import { PlannedNote } from '../components/planned-note.js';

/** @param {import('./view-props.js').ViewProps} props */
export function UsageView({ config, mode, queue }) {
  const { limits } = config;
  const who = {
    inference: "Model calls here run on this Space's key, so these quotas apply to you.",
    byok: 'You use your own key: only the request rate limits apply, and your spending is between you and your provider.',
    'data-only': 'Without a key nothing here spends money. These quotas apply once a key is added to the Space.',
  }[mode];

  return html`<div class="view">
    <h2>Usage</h2>
    <p class="lead">${who}</p>

    <div class="grid-2">
      <${Facts}
        title="Quotas"
        facts=${[
          { term: 'Research cycles per session', value: limits.max_cycles_per_session },
          { term: 'Model requests per session', value: limits.per_session_limit_requests },
          { term: 'Requests per hour, per address', value: limits.requests_per_hour_per_ip },
          { term: 'Session ends after', value: `${limits.session_timeout_minutes} min idle` },
          {
            term: "Daily budget for this Space's key",
            value: usd(limits.daily_spending_limit_usd),
            hint: 'Never exceeded: each call reserves its worst case first. Resets at midnight UTC.',
          },
        ]}
      />
      <${Facts}
        title="Job queue, live"
        facts=${[
          { term: 'Running now', value: queue ? queue.running : '…' },
          { term: 'Waiting', value: queue ? queue.queued : '…' },
          { term: 'Jobs at once', value: config.queue.max_concurrent_jobs, hint: 'Later jobs wait their turn, with their place and an estimate.' },
          { term: 'Queue holds', value: config.queue.max_queue_size },
        ]}
      />
    </div>
    <${PlannedNote}>Your own counters (what you have used and what is left today) come with research runs.<//>
  </div>`;
}
