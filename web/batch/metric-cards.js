// @ts-check
/**
 * A run's headline numbers, one card each: success rate, latency percentiles, time to first
 * token and per token, speed, answer length, tokens, cost and checks. With two endpoints each
 * card holds both values, the better one marked.
 */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { msText, numText, rateText, TAGS } from './format.js';

/** @typedef {import('../../shared/batch-types.js').Metrics} Metrics */
/**
 * @typedef {object} Card
 * @property {string} key
 * @property {string} label
 * @property {(m: Metrics) => number | null} value
 * @property {(v: number | null) => string} text
 * @property {'high' | 'low' | null} better
 * @property {(m: Metrics) => string} [note]
 */

/** @type {Card[]} */
const CARDS = [
  {
    key: 'success_rate',
    label: 'Success rate',
    value: (m) => m.success_rate,
    text: rateText,
    better: 'high',
    note: (m) => `${m.succeeded} of ${m.count} answered`,
  },
  { key: 'latency_p50', label: 'Latency p50', value: (m) => m.latency_ms.p50, text: msText, better: 'low', note: (m) => `average ${msText(m.latency_ms.avg)}` },
  { key: 'latency_p95', label: 'Latency p95', value: (m) => m.latency_ms.p95, text: msText, better: 'low', note: (m) => `fastest ${msText(m.latency_ms.min)}` },
  { key: 'latency_p99', label: 'Latency p99', value: (m) => m.latency_ms.p99, text: msText, better: 'low', note: (m) => `slowest ${msText(m.latency_ms.max)}` },
  { key: 'ttft_p50', label: 'First token p50', value: (m) => m.ttft_ms.p50, text: msText, better: 'low', note: (m) => `p95 ${msText(m.ttft_ms.p95)}` },
  { key: 'tpot_p50', label: 'Per token p50', value: (m) => m.tpot_ms.p50, text: msText, better: 'low', note: (m) => `p95 ${msText(m.tpot_ms.p95)}` },
  { key: 'tokens_per_s', label: 'Output tokens / s', value: (m) => m.output_tokens_per_s, text: numText, better: 'high' },
  { key: 'avg_chars', label: 'Average answer', value: (m) => m.avg_response_chars, text: (v) => (v === null ? '—' : `${numText(v)} chars`), better: null },
  { key: 'tokens_in', label: 'Tokens in', value: (m) => m.tokens_in, text: numText, better: null },
  { key: 'tokens_out', label: 'Tokens out', value: (m) => m.tokens_out, text: numText, better: null },
  { key: 'cost', label: 'Cost', value: (m) => m.cost_usd.total, text: (v) => (v === null ? 'unknown' : dollars(v)), better: 'low', note: costNote },
  {
    key: 'checks',
    label: 'Checks passed',
    value: (m) => m.checks.pass_rate,
    text: rateText,
    better: 'high',
    note: (m) => (m.checks.run > 0 ? `${m.checks.passed} of ${m.checks.run}` : 'no checks run'),
  },
];

/** @param {Metrics} m */
function costNote(m) {
  if (m.cost_usd.known_for === 0) return 'the provider reported no cost';
  return m.cost_usd.known_for < m.count ? `known for ${m.cost_usd.known_for} of ${m.count}` : `${dollars(m.cost_usd.per_prompt ?? 0)} per prompt`;
}

/** @param {Card} card @param {Metrics[]} all @returns {number} the index of the better value, -1 for none */
function best(card, all) {
  if (all.length < 2 || !card.better) return -1;
  const values = all.map((m) => card.value(m));
  // Equal as shown is equal: no mark for a difference nobody can see.
  if (values.some((v) => v === null) || card.text(values[0] ?? null) === card.text(values[1] ?? null)) return -1;
  const pick = card.better === 'high' ? Math.max : Math.min;
  return values.indexOf(pick(...values.map(Number)));
}

/** @param {{ metrics: Metrics[] }} props one per endpoint, in order */
export function BatchMetricCards({ metrics }) {
  const two = metrics.length > 1;
  return html`<ul class="batch-metrics" data-testid="metric-cards">
    ${CARDS.map((card) => {
      const better = best(card, metrics);
      return html`<li key=${card.key} class="batch-metric" data-testid="metric" data-metric=${card.key}>
        <span class="batch-metric-label">${card.label}</span>
        ${metrics.map(
          (
            m,
            i,
          ) => html`<span class="batch-metric-value" key=${i} data-testid="metric-value" data-metric=${card.key} data-endpoint=${i} data-raw=${card.value(m) ?? ''} data-best=${better === i ? 'true' : undefined}>
            ${two && html`<span class="batch-tag" data-series=${i}>${TAGS[i]}</span>`}
            <strong>${card.text(card.value(m))}</strong>${better === i && html`<span class="sr-only"> (better)</span>`}
            ${card.note && html`<span class="field-note">${card.note(m)}</span>`}
          </span>`,
        )}
      </li>`;
    })}
  </ul>`;
}
