// @ts-check
/**
 * One research run, live: its header (state, owner's buttons, link, export), the research plan
 * (the owner edits it between cycles), progress, the
 * overview, leaderboard and Elo chart, the hypotheses, the literature they cite, matches and
 * proximity graph, the meta-reviews, and for the owner the tools between cycles. Loaded with import() when a run's
 * link opens; the chart, the graph and the owner's forms load after it, once they are wanted.
 */
import { useMemo } from 'preact/hooks';
import { html } from '../lib/html.js';
import { lazy, useLazy } from '../lib/lazy.js';
import { hypothesisLabels, isBusy } from './format.js';
import { useRun } from './use-run.js';
import { HypothesisCard } from './hypothesis-card.js';
import { Leaderboard } from './leaderboard.js';
import { LiteratureSection } from './literature-section.js';
import { MatchList } from './match-list.js';
import { MetaReviewList } from './meta-review-list.js';
import { PlanPanel } from './plan-panel.js';
import { ResearchOverview } from './overview.js';
import { RunHeader } from './run-header.js';
import { RunProgress } from './run-progress.js';

const eloChartModule = lazy(() => import('./elo-chart.js'));
const proximityGraphModule = lazy(() => import('./proximity-graph.js'));
const betweenCyclesModule = lazy(() => import('./between-cycles.js'));

/** @typedef {import('../../shared/research-types.js').Run} Run */

/** @param {{ failed: boolean, text: string }} props */
const Pending = ({ failed, text }) => html`<p class="muted">${failed ? 'This drawing could not be loaded. Reload the page to try again.' : text}</p>`;

/**
 * @param {{
 *   id: string,
 *   live: import('../lib/live.js').LiveConnection,
 *   usage: import('../lib/use-usage.js').Usage | null,
 *   refreshUsage: () => void,
 * }} props
 */
export function RunDetail({ id, live, usage, refreshUsage }) {
  const { run, error, progress, spot, reload, replace } = useRun(live, id);
  const chart = useLazy(eloChartModule, (run?.matches.length ?? 0) > 0);
  const graph = useLazy(proximityGraphModule, (run?.hypotheses.length ?? 0) > 1);
  // The scientist's forms are for the owner only; a shared link never loads them.
  const tools = useLazy(betweenCyclesModule, run?.owner === true);
  const labels = useMemo(() => (run ? hypothesisLabels(run) : new Map()), [run]);

  if (!run) {
    return html`<section class="run" aria-busy=${error ? 'false' : 'true'}>
      <h2>Research run</h2>
      <p class=${error ? 'callout' : 'muted'} data-tone=${error ? 'warn' : undefined} role=${error ? 'alert' : undefined} data-testid="shared-run">
        ${error ? html`Run <code>${id}</code> could not be opened: ${error.message}` : html`Opening run <code>${id}</code>…`}
      </p>
      ${error && error.status !== 404 && html`<button type="button" class="button" onClick=${reload}>Try again</button>`}
    </section>`;
  }

  /** After a change: the run the server answered, else load it again; the usage meter catches up too. */
  const changed = (/** @type {Run | undefined} */ updated = undefined) => {
    if (updated) replace(updated);
    else reload();
    refreshUsage();
  };
  const canChange = run.owner && !isBusy(run.state);
  const rank = new Map(run.leaderboard.map((hid, i) => [hid, i + 1]));
  // Still competing first, by rank; then the dropped and the near-copies, newest first.
  const order = (/** @type {import('../../shared/research-types.js').Hypothesis} */ h) => rank.get(h.id) ?? 1e6 - run.hypotheses.indexOf(h);
  const cards = [...run.hypotheses].sort((a, b) => order(a) - order(b));
  const titles = new Map(run.hypotheses.map((h) => [h.id, h.title]));

  return html`<div class="run" data-testid="run" data-state=${run.state} data-owner=${run.owner ? 'true' : 'false'}>
    <${RunHeader} run=${run} usage=${usage} onChanged=${changed} />
    ${error && html`<p class="callout" data-tone="warn" role="alert">The latest state could not be loaded: ${error.message}</p>`}
    ${run.error && html`<p class="callout" data-tone="warn" role="alert" data-testid="run-error">${run.error.message}</p>`}
    <${PlanPanel} run=${run} onChanged=${changed} />
    <${RunProgress} run=${run} progress=${progress} spot=${spot} />
    ${run.overview && html`<${ResearchOverview} overview=${run.overview} labels=${labels} titles=${titles} literature=${run.literature} />`}

    <div class="grid-2">
      <${Leaderboard} run=${run} labels=${labels} />
      <section class="card" aria-labelledby="chart-title">
        <h3 id="chart-title">Elo over matches</h3>
        ${
          run.matches.length === 0
            ? html`<p class="muted">Drawn once the tournament has played its first match.</p>`
            : chart.mod
              ? html`<${chart.mod.EloChart} run=${run} labels=${labels} />`
              : html`<${Pending} failed=${chart.failed} text="Drawing the chart…" />`
        }
      </section>
    </div>

    <section aria-labelledby="hypotheses-title" data-testid="hypotheses">
      <h3 id="hypotheses-title">Hypotheses <span class="heading-note">(${run.hypotheses.length})</span></h3>
      ${
        run.hypotheses.length === 0
          ? html`<p class="muted">They appear here as the model writes them.</p>`
          : html`<div class="hyp-grid">
            ${cards.map(
              (h) => html`<${HypothesisCard} key=${h.id} h=${h} labels=${labels} rank=${rank.get(h.id) ?? null} runId=${run.id}
                owner=${run.owner} canChange=${canChange} onChanged=${() => changed()} literature=${run.literature} />`,
            )}
          </div>`
      }
    </section>

    <${LiteratureSection} run=${run} labels=${labels} />

    <div class="grid-2">
      <${MatchList} run=${run} labels=${labels} />
      <div class="run-stack">
        <section class="card" aria-labelledby="graph-title">
          <h3 id="graph-title">Proximity</h3>
          ${
            run.hypotheses.length < 2
              ? html`<p class="muted">Drawn once there are two hypotheses to compare.</p>`
              : graph.mod
                ? html`<${graph.mod.ProximityGraph} run=${run} labels=${labels} />`
                : html`<${Pending} failed=${graph.failed} text="Drawing the graph…" />`
          }
        </section>
        <${MetaReviewList} reviews=${run.meta_reviews} />
      </div>
    </div>
    ${run.owner && tools.mod && html`<${tools.mod.BetweenCycles} run=${run} labels=${labels} onChanged=${changed} />`}
  </div>`;
}
