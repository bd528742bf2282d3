// @ts-check
/**
 * Elo over matches: one line per leading hypothesis, drawn as inline SVG from the matches'
 * elo_before and elo_delta (no chart library). Drawn at its real width, so its text stays
 * readable on a phone. Loaded with import() once a run has matches.
 */
import { useMemo } from 'preact/hooks';
import { html } from '../lib/html.js';
import { eloSeries } from '../../shared/elo.js';
import { eloText } from './format.js';
import { useWidth } from '../lib/use-width.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

const LINES = 6; // colours that stay apart in both themes
const HEIGHT = 220;
const PAD = { left: 44, right: 14, top: 12, bottom: 30 };

/** @param {{ run: Run, labels: Map<string, string> }} props */
export function EloChart({ run, labels }) {
  const [ref, width] = useWidth(560);
  // The leaders that have played; a newcomer has no line yet.
  const played = new Set(run.matches.flatMap((m) => [m.a, m.b]));
  const ids = run.leaderboard.filter((id) => played.has(id)).slice(0, LINES);
  const data = useMemo(() => eloSeries(run.matches, ids), [run.matches, ids.join()]);
  const titles = new Map(run.hypotheses.map((h) => [h.id, h]));
  const { from, to, ticks } = eloTicks(data.min, data.max);
  const plotW = Math.max(120, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (/** @type {number} */ i) => PAD.left + (i / Math.max(1, data.count)) * plotW;
  const y = (/** @type {number} */ v) => PAD.top + (1 - (v - from) / (to - from)) * plotH;
  const r = (/** @type {number} */ v) => Math.round(v * 10) / 10;
  // Where a new cycle's matches begin.
  const starts = run.matches.flatMap((m, i) => (i > 0 && m.cycle !== run.matches[i - 1]?.cycle ? [{ i, cycle: m.cycle }] : []));
  const leader = data.series[0];
  const desc = `${data.count} matches. ${leader ? `${labels.get(leader.id)} leads at ${eloText(leader.points.at(-1)?.[1] ?? 0)}.` : ''} Every hypothesis starts at 1200.`;

  return html`<figure class="elo-chart" ref=${ref} data-testid="elo-chart">
    <svg width=${width} height=${HEIGHT} viewBox=${`0 0 ${width} ${HEIGHT}`} role="img" aria-labelledby="elo-title elo-desc">
      <title id="elo-title">Elo over matches for the top ${data.series.length}</title>
      <desc id="elo-desc">${desc}</desc>
      ${ticks.map(
        (t) => html`<g key=${t}>
          <line class=${t === 1200 ? 'chart-base' : 'chart-grid'} x1=${PAD.left} x2=${PAD.left + plotW} y1=${r(y(t))} y2=${r(y(t))} />
          <text class="chart-text" x=${PAD.left - 6} y=${r(y(t)) + 4} text-anchor="end">${t}</text>
        </g>`,
      )}
      ${starts.map(
        (s) => html`<g key=${s.i}>
          <line class="chart-cycle" x1=${r(x(s.i))} x2=${r(x(s.i))} y1=${PAD.top} y2=${PAD.top + plotH} />
          <text class="chart-text" x=${r(x(s.i)) + 4} y=${PAD.top + 10}>Cycle ${s.cycle + 1}</text>
        </g>`,
      )}
      <text class="chart-text" x=${PAD.left} y=${HEIGHT - 8}>0</text>
      <text class="chart-text" x=${PAD.left + plotW / 2} y=${HEIGHT - 8} text-anchor="middle">matches played</text>
      <text class="chart-text" x=${PAD.left + plotW} y=${HEIGHT - 8} text-anchor="end">${data.count}</text>
      ${[...data.series].reverse().map((s) => {
        const i = data.series.indexOf(s);
        const end = s.points.at(-1);
        return html`<g key=${s.id} class="elo-series" data-series=${i}>
          <polyline fill="none" points=${s.points.map(([m, e]) => `${r(x(m))},${r(y(e))}`).join(' ')} />
          ${end && html`<circle cx=${r(x(end[0]))} cy=${r(y(end[1]))} r="3.5" />`}
        </g>`;
      })}
    </svg>
    <figcaption>
      <ul class="chart-legend">
        ${data.series.map(
          (s, i) => html`<li key=${s.id}>
            <span class="swatch" data-series=${i} aria-hidden="true"></span>
            <span class="hyp-label">${labels.get(s.id)}</span>
            <span class="legend-title">${titles.get(s.id)?.title}</span>
            <strong>${eloText(s.points.at(-1)?.[1] ?? 1200)}</strong>
          </li>`,
        )}
      </ul>
    </figcaption>
  </figure>`;
}

/**
 * Round values for the Elo axis: a step of 5, 10, 25, 50, 100… that gives at most `most` ticks.
 * @param {number} min
 * @param {number} max
 * @returns {{ from: number, to: number, ticks: number[] }}
 */
export function eloTicks(min, max, most = 5) {
  const span = Math.max(max - min, 10);
  const steps = [5, 10, 25, 50, 100, 250, 500];
  const step = steps.find((s) => span / s <= most - 1) ?? 1000;
  const from = Math.floor(min / step) * step;
  const to = Math.max(Math.ceil(max / step) * step, from + step);
  const ticks = [];
  for (let v = from; v <= to; v += step) ticks.push(v);
  return { from, to, ticks };
}
