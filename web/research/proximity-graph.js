// @ts-check
/**
 * How close the hypotheses are to each other (the server's local word similarity): nodes evenly
 * on a circle in the order they were made, a line for each close pair, thicker when closer.
 * Inline SVG, laid out the same way every time. Loaded with import() once there are two.
 */
import { html } from '../lib/html.js';
import { circleLayout } from './circle-layout.js';
import { eloText } from './format.js';
import { useWidth } from '../lib/use-width.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

const MAX_SIZE = 360;
const CLOSEST = 5;

/** @param {{ run: Run, labels: Map<string, string> }} props */
export function ProximityGraph({ run, labels }) {
  const [ref, width] = useWidth(MAX_SIZE);
  const size = Math.min(width, MAX_SIZE);
  const { nodes, edges } = run.proximity;
  const byId = new Map(run.hypotheses.map((h) => [h.id, h]));
  const dot = nodes.length > 16 ? 11 : nodes.length > 8 ? 14 : 17;
  const places = circleLayout(nodes.length, size / 2, size / 2, size / 2 - dot - 4);
  const at = new Map(nodes.map((id, i) => [id, places[i] ?? { x: 0, y: 0 }]));
  const leader = run.leaderboard[0];
  // Strong lines drawn last, on top.
  const lines = [...edges].sort((p, q) => p.weight - q.weight);
  const closest = [...edges].sort((p, q) => q.weight - p.weight).slice(0, CLOSEST);
  const copies = run.hypotheses.filter((h) => h.duplicate_of);
  /** @param {string} id */
  const state = (id) => {
    const h = byId.get(id);
    if (!h) return undefined;
    if (h.dropped || h.duplicate_of) return 'out';
    return id === leader ? 'leader' : h.pinned ? 'pinned' : undefined;
  };

  return html`<figure class="prox-graph" ref=${ref} data-testid="proximity-graph">
    <svg width=${size} height=${size} viewBox=${`0 0 ${size} ${size}`} role="img" aria-labelledby="prox-title">
      <title id="prox-title">Proximity of ${nodes.length} hypotheses: ${edges.length} close pairs</title>
      ${lines.map((e) => {
        const a = at.get(e.a);
        const b = at.get(e.b);
        return (
          a &&
          b &&
          html`<line key=${`${e.a}-${e.b}`} class="prox-edge" x1=${a.x} y1=${a.y} x2=${b.x} y2=${b.y}
          stroke-width=${(1 + 5 * e.weight).toFixed(1)} stroke-opacity=${(0.3 + 0.7 * e.weight).toFixed(2)} />`
        );
      })}
      ${nodes.map((id) => {
        const p = at.get(id);
        const h = byId.get(id);
        return (
          p &&
          html`<g key=${id} class="prox-node" data-state=${state(id)} data-testid="graph-node">
          <title>${labels.get(id)}: ${h?.title ?? id}${h ? ` (Elo ${eloText(h.elo)})` : ''}</title>
          <circle cx=${p.x} cy=${p.y} r=${dot} />
          <text x=${p.x} y=${p.y + 4} text-anchor="middle">${labels.get(id)}</text>
        </g>`
        );
      })}
    </svg>
    <figcaption>
      <p class="field-note">
        ${edges.length ? 'Lines join hypotheses that share words; the thicker, the closer.' : 'No two hypotheses share enough words to be linked yet.'}
        ${' '}Near-copies leave the tournament. <span class="legend-key" data-state="leader">leader</span> <span class="legend-key" data-state="out">out</span>
      </p>
      ${
        closest.length > 0 &&
        html`<details>
        <summary>Closest pairs</summary>
        <ul class="prox-pairs">
          ${closest.map((e) => html`<li key=${`${e.a}-${e.b}`}>${labels.get(e.a)} and ${labels.get(e.b)}: ${Math.round(e.weight * 100)}% alike</li>`)}
        </ul>
      </details>`
      }
      ${
        copies.length > 0 &&
        html`<ul class="prox-pairs">
        ${copies.map((h) => html`<li key=${h.id}>${labels.get(h.id)} is a near-copy of ${labels.get(h.duplicate_of ?? '') ?? h.duplicate_of}.</li>`)}
      </ul>`
      }
    </figcaption>
  </figure>`;
}
