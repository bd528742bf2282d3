// @ts-check
/** Tells every visitor when today's spending on the Space's key nears its cap, and when it has reached it. */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { localTime, usd } from '../lib/format.js';
import { Info } from '../lib/icons.js';

/** @param {{ global: import('../lib/use-usage.js').GlobalUsage }} props */
export function BudgetBanner({ global: g }) {
  const out = g.remaining_usd <= 0;
  if (!out && !g.alert) return null;
  const still = ' Free models and your own key keep working.';
  const cap = usd(g.cap_usd);
  return html`<aside class="banner" data-tone=${out ? 'danger' : 'warn'} role=${out ? 'alert' : 'status'} data-testid="budget-banner">
    <span class="banner-icon"><${Info} /></span>
    ${
      out
        ? html`<p>
          <strong>Today's budget on this Space's key is used up</strong>
          ${` (its ${cap} cap). Paid models pause until it resets at ${localTime(g.resets_at)} (midnight UTC).${still}`}
        </p>`
        : html`<p>
          <strong>Today's spending on this Space's key has passed ${Math.round(g.alert_at_fraction * 100)}% of its ${cap} cap</strong>
          ${` (${dollars(g.spent_usd_today)} so far). Paid models may stop for the day.${still}`}
        </p>`
    }
  </aside>`;
}
