// @ts-check
/**
 * How long the answers took: a histogram of the latency of every answered prompt, one colour per
 * endpoint, drawn as inline SVG at its real width (no chart library). A sentence under it says
 * the same for those who cannot see it. Loaded with import() once a run has answers.
 */
import { html } from '../lib/html.js';
import { count } from '../lib/format.js';
import { msText, TAGS } from './format.js';
import { percentile } from '../../shared/numbers.js';
import { latencyBuckets, roundStep } from './latency-buckets.js';
import { useWidth } from '../lib/use-width.js';

const HEIGHT = 190;
const PAD = { left: 34, right: 10, top: 12, bottom: 34 };

/** @param {number[]} values @param {ReturnType<typeof latencyBuckets>['buckets']} buckets @param {number} s */
function sentence(values, buckets, s) {
  if (values.length === 0) return 'no answers yet';
  const peak = buckets.reduce((a, b) => ((b.counts[s] ?? 0) > (a.counts[s] ?? 0) ? b : a));
  return `${count(values.length, 'answer')}, median ${msText(percentile(values, 50))}; the most (${peak.counts[s]}) took ${msText(peak.from)} to ${msText(peak.to)}`;
}

/** @param {{ run: import('../../shared/batch-types.js').BatchRun }} props */
export function BatchLatencyHistogram({ run }) {
  const [ref, width] = useWidth(560);
  const series = run.endpoints.map((e) => run.results.flatMap((r) => (r.endpoint === e.index && r.ok && r.latency_ms !== null ? [r.latency_ms] : [])));
  const { buckets } = latencyBuckets(series);
  // Whole-number gridlines, about four of them, the top one at or above the tallest bar.
  const step = Math.max(1, roundStep(Math.max(...buckets.flatMap((b) => b.counts), 1) / 4));
  const highest = Math.ceil(Math.max(1, ...buckets.flatMap((b) => b.counts)) / step) * step;
  const ticks = Array.from({ length: highest / step + 1 }, (_, i) => i * step);
  const plotW = Math.max(120, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const bar = (slot * 0.8) / series.length;
  const y = (/** @type {number} */ n) => PAD.top + plotH - (n / highest) * plotH;
  const r1 = (/** @type {number} */ v) => Math.round(v * 10) / 10;
  // A label every few buckets, so they never run into each other.
  const every = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(plotW / 64))));
  const two = series.length > 1;
  const said = series.map((values, s) => `${two ? `${TAGS[s]}: ` : ''}${sentence(values, buckets, s)}`).join('. ');

  return html`<figure class="batch-histogram" ref=${ref} data-testid="latency-histogram">
    <svg width=${width} height=${HEIGHT} viewBox=${`0 0 ${width} ${HEIGHT}`} role="img" aria-label=${`Latency of the answers: ${said}.`}>
      ${ticks.map(
        (t) => html`<g key=${t}>
          <line class="chart-grid" x1=${PAD.left} x2=${PAD.left + plotW} y1=${r1(y(t))} y2=${r1(y(t))} />
          <text class="chart-text" x=${PAD.left - 6} y=${r1(y(t)) + 4} text-anchor="end">${t}</text>
        </g>`,
      )}
      ${buckets.map((b, i) =>
        b.counts.map((n, s) =>
          n > 0
            ? html`<rect key=${`${i}/${s}`} class="batch-histogram-bar" data-series=${s} x=${r1(PAD.left + i * slot + slot * 0.1 + s * bar)} y=${r1(y(n))}
                width=${r1(Math.max(1, bar - 1))} height=${r1(plotH - (y(n) - PAD.top))} rx="2">
                <title>${two ? `${TAGS[s]}: ` : ''}${count(n, 'answer')} from ${msText(b.from)} to ${msText(b.to)}</title>
              </rect>`
            : null,
        ),
      )}
      ${buckets.map((b, i) =>
        i % every === 0
          ? html`<text key=${i} class="chart-text" x=${r1(PAD.left + i * slot)} y=${HEIGHT - 18} text-anchor=${i === 0 ? 'start' : 'middle'}>${msText(b.from)}</text>`
          : null,
      )}
      <text class="chart-text" x=${PAD.left + plotW / 2} y=${HEIGHT - 3} text-anchor="middle">latency of answered prompts</text>
    </svg>
    <figcaption>
      ${
        two &&
        html`<ul class="chart-legend batch-legend">
        ${run.endpoints.map((e, i) => html`<li key=${i}><span class="swatch" data-series=${i} aria-hidden="true"></span><span class="batch-tag" data-series=${i}>${TAGS[i]}</span> <code>${e.model}</code></li>`)}
      </ul>`
      }
      <p class="field-note" data-testid="histogram-summary">${said}.</p>
    </figcaption>
  </figure>`;
}
