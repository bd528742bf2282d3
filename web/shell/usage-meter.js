// @ts-check
/** The header's usage at a glance (what is left of this session's quotas and of today's cap), linking to the Usage tab. */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { cents, usd } from '../lib/format.js';
import { requestsLeft } from '../lib/use-usage.js';
import { Bar } from '../lib/usage-bar.js';

/** @param {import('../lib/use-usage.js').Usage} u */
function details(u) {
  const { session: s, ip, global: g } = u;
  return [
    `This session: ${s.requests_used} of ${s.requests_limit} model requests and ${s.cycles_used} of ${s.cycles_limit} research cycles.`,
    `This hour: ${ip.requests_this_hour} of ${ip.requests_per_hour} requests from your address.`,
    `Today: ${dollars(g.spent_usd_today)} of the ${usd(g.cap_usd)} cap on this Space's key spent.`,
  ].join('\n');
}

/** @param {{ usage: import('../lib/use-usage.js').Usage | null }} props null until the first answer */
export function UsageMeter({ usage: u }) {
  // Data-only: nothing is spent, and the mode badge already says why.
  if (!u || u.key_mode === 'none') return null;

  if (u.key_mode === 'byok') {
    const left = u.byok?.credit?.remaining_usd;
    return html`<a class="meter" href="#/usage" data-testid="usage-meter" title="Your own key pays, so this Space's quotas and cap do not apply to you.">
      <span class="meter-part">Your key</span>
      ${typeof left === 'number' && html`<span class="meter-part" data-testid="meter-credit">${usd(left)} credit left</span>`}
    </a>`;
  }

  const { session: s, global: g } = u;
  const req = requestsLeft(u);
  // Cents suit a cap of dollars; a cap below a dollar needs its digits.
  const spent = g.cap_usd >= 1 ? cents(g.spent_usd_today) : dollars(g.spent_usd_today);
  return html`<a class="meter" href="#/usage" data-testid="usage-meter" title=${details(u)}>
    <span class="sr-only">Usage: </span>
    <span class="meter-part meter-cycles">${s.cycles_used}/${s.cycles_limit} cycles</span>
    <span class="meter-part" data-testid="meter-requests">${req.left} req left<span class="meter-long"> this ${req.per}</span></span>
    <span class="meter-part meter-spend">
      <span>${spent} of ${usd(g.cap_usd)}<span class="meter-long"> today</span></span>
      <${Bar} used=${g.spent_usd_today} held=${g.reserved_usd} limit=${g.cap_usd} alertAt=${g.alert_at_fraction} />
    </span>
  </a>`;
}
