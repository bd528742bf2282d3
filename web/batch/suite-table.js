// @ts-check
/** The metrics again, suite by suite (and endpoint by endpoint): where a model is fast, slow or wrong. */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { msText, numText, rateText, TAGS } from './format.js';

/**
 * @param {{
 *   suites: import('../../shared/batch-types.js').BatchRun['suites'],
 *   metrics: import('../../shared/batch-types.js').EndpointMetrics[],
 * }} props
 */
export function BatchSuiteTable({ suites, metrics }) {
  const two = metrics.length > 1;
  const rows = suites.flatMap((s) => metrics.map((em) => ({ suite: s, endpoint: em.endpoint, m: em.suites[s.id] })));
  return html`<section class="card" aria-labelledby="batch-suites-title" data-testid="suite-table">
    <h3 id="batch-suites-title">By suite</h3>
    <div class="batch-scroll" tabindex="0" role="region" aria-labelledby="batch-suites-title">
      <table class="batch-table">
        <thead>
          <tr>
            <th scope="col">Suite</th>
            ${two && html`<th scope="col">Endpoint</th>`}
            <th scope="col" class="num">Answered</th>
            <th scope="col" class="num">Success</th>
            <th scope="col" class="num">p50</th>
            <th scope="col" class="num">p95</th>
            <th scope="col" class="num">First token p50</th>
            <th scope="col" class="num">Tokens / s</th>
            <th scope="col" class="num">Checks passed</th>
            <th scope="col" class="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ({ suite, endpoint, m }) => html`<tr key=${`${suite.id}/${endpoint}`} data-testid="suite-row" data-suite=${suite.id} data-endpoint=${endpoint}>
              <th scope="row">${suite.name}</th>
              ${two && html`<td><span class="batch-tag" data-series=${endpoint}>${TAGS[endpoint]}</span></td>`}
              ${
                m
                  ? html`<td class="num">${m.succeeded} of ${m.count}</td>
                    <td class="num">${rateText(m.success_rate)}</td>
                    <td class="num">${msText(m.latency_ms.p50)}</td>
                    <td class="num">${msText(m.latency_ms.p95)}</td>
                    <td class="num">${msText(m.ttft_ms.p50)}</td>
                    <td class="num">${numText(m.output_tokens_per_s)}</td>
                    <td class="num">${m.checks.run > 0 ? `${m.checks.passed} of ${m.checks.run}` : '—'}</td>
                    <td class="num">${m.cost_usd.total === null ? 'unknown' : dollars(m.cost_usd.total)}</td>`
                  : html`<td class="muted" colspan="8">not started yet</td>`
              }
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}
