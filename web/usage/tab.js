// @ts-check
/**
 * Usage tab: what this session and address have used of their quotas, today's spend on the
 * Space's key against its cap (live), the visitor's own key's credit, and the rules behind them.
 */
import { useEffect } from 'preact/hooks';
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { localTime, usd } from '../lib/format.js';
import { Facts } from '../lib/facts.js';
import { Bar } from '../lib/usage-bar.js';

/** @typedef {import('../lib/use-usage.js').Usage} Usage */

/** @param {{ label: string, used: number, limit: number, testid: string, children?: any }} props */
function Quota({ label, used, limit, testid, children }) {
  return html`<div class="quota" data-testid=${testid}>
    <div class="quota-head">
      <span>${label}</span>
      <strong class="quota-count">${used.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')}</strong>
    </div>
    <${Bar} used=${used} limit=${limit} />
    ${children && html`<p class="quota-note">${children}</p>`}
  </div>`;
}

/** @param {{ usage: Usage, idleMinutes: number }} props */
function YourQuotas({ usage: { session: s, ip }, idleMinutes }) {
  const left = (/** @type {number} */ limit, /** @type {number} */ used) => `${Math.max(0, limit - used).toLocaleString('en-US')} left`;
  return html`<section class="card" aria-labelledby="usage-you-title">
    <h3 id="usage-you-title">Your quotas</h3>
    <${Quota} label="Research cycles this session" used=${s.cycles_used} limit=${s.cycles_limit} testid="usage-cycles">
      ${left(s.cycles_limit, s.cycles_used)}
    <//>
    <${Quota} label="Model requests this session" used=${s.requests_used} limit=${s.requests_limit} testid="usage-requests">
      ${left(s.requests_limit, s.requests_used)}. The session and its counts end after ${idleMinutes} min idle.
    <//>
    <${Quota} label="Requests from your address this hour" used=${ip.requests_this_hour} limit=${ip.requests_per_hour} testid="usage-hour">
      ${left(ip.requests_per_hour, ip.requests_this_hour)}.
      ${ip.resets_at ? ` The hour resets at ${localTime(ip.resets_at)}.` : ' The hour starts with your next request.'}
    <//>
    <dl class="facts">
      <div class="fact"><dt>Spent this session</dt><dd data-testid="usage-session-spent" data-usd=${s.spent_usd}>${dollars(s.spent_usd)}</dd></div>
    </dl>
  </section>`;
}

/** @param {{ global: import('../lib/use-usage.js').GlobalUsage }} props */
function Today({ global: g }) {
  return html`<section class="card" aria-labelledby="usage-today-title" data-testid="usage-today">
    <h3 id="usage-today-title">Today on this Space's key <span class="pill" data-on="true">live</span></h3>
    <div class="quota">
      <div class="quota-head">
        <span>Spent of the daily cap</span>
        <strong class="quota-count" data-testid="usage-global-spent" data-usd=${g.spent_usd_today}>${dollars(g.spent_usd_today)} of ${usd(g.cap_usd)}</strong>
      </div>
      <${Bar} used=${g.spent_usd_today} held=${g.reserved_usd} limit=${g.cap_usd} alertAt=${g.alert_at_fraction} />
    </div>
    <dl class="facts">
      <div class="fact">
        <dt>Held for calls in progress</dt><dd data-testid="usage-global-reserved" data-usd=${g.reserved_usd}>${dollars(g.reserved_usd)}</dd>
        <dd class="fact-hint">Each call holds its worst case before it is sent, so the cap is never passed.</dd>
      </div>
      <div class="fact"><dt>Left today</dt><dd data-testid="usage-global-left" data-usd=${g.remaining_usd}>${dollars(g.remaining_usd)}</dd></div>
      <div class="fact">
        <dt>Starts again</dt><dd>${localTime(g.resets_at)}</dd>
        <dd class="fact-hint">At midnight UTC. Everyone is warned past ${Math.round(g.alert_at_fraction * 100)}% of the cap.</dd>
      </div>
    </dl>
  </section>`;
}

/** @param {{ credit: NonNullable<Usage['byok']>['credit'] }} props */
function OwnKey({ credit: c }) {
  const amount = (/** @type {number | null} */ n, /** @type {string} */ none) => (n === null ? none : dollars(n));
  return html`<section class="card" aria-labelledby="usage-key-title" data-testid="usage-own-key">
    <h3 id="usage-key-title">Your own key</h3>
    <p>Your calls run on your OpenRouter account: you pay your provider, and this Space's quotas and cap do not count them.</p>
    ${
      c
        ? html`<dl class="facts">
          <div class="fact"><dt>Credit left</dt><dd data-testid="usage-credit-left">${amount(c.remaining_usd, 'no limit set')}</dd></div>
          <div class="fact"><dt>Limit on the key</dt><dd>${amount(c.limit_usd, 'none')}</dd></div>
          <div class="fact"><dt>Used so far</dt><dd>${amount(c.usage_usd, 'unknown')}</dd></div>
          ${c.is_free_tier !== null && html`<div class="fact"><dt>Free tier</dt><dd>${c.is_free_tier ? 'yes' : 'no'}</dd></div>`}
        </dl>`
        : html`<p class="muted">Your provider did not say how much credit the key has left (only OpenRouter does).</p>`
    }
  </section>`;
}

/** @param {import('../shell/view-props.js').ViewProps} props */
export function UsageView({ config, mode, queue, usage, refreshUsage }) {
  // Opening the tab shows this moment's numbers, not the last minute's.
  useEffect(() => refreshUsage(), []);

  const { limits } = config;
  const who = {
    inference: "Model calls here run on this Space's key, so these quotas and its daily cap apply to you.",
    byok: 'You use your own key: only the request rate limits apply, and your spending is between you and your provider.',
    'data-only': 'Without a key nothing here spends money. These quotas apply once a key is added to the Space.',
  }[mode];

  /** @type {any} */
  let mine = html`<p class="muted" aria-busy="true">Loading your usage…</p>`;
  if (usage?.key_mode === 'server') {
    mine = html`<div class="grid-2">
      <${YourQuotas} usage=${usage} idleMinutes=${limits.session_timeout_minutes} />
      <${Today} global=${usage.global} />
    </div>`;
  } else if (usage?.key_mode === 'byok') {
    mine = html`<div class="grid-2">
      <${OwnKey} credit=${usage.byok?.credit ?? null} />
      ${config.key_modes.server_key && html`<${Today} global=${usage.global} />`}
    </div>`;
  } else if (usage) {
    mine = null;
  }

  return html`<div class="view">
    <h2>Usage</h2>
    <p class="lead">${who}</p>
    ${mine}

    <h3>The rules here</h3>
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
            hint: 'Never exceeded: each call reserves its worst case first. Resets at midnight UTC. Free models and your own key do not count.',
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
  </div>`;
}
