// @ts-check
/** Research tab: what a co-scientist cycle does, what this Space allows, and a run's cost before it runs. Runs arrive next. */
import { html } from '../lib/html.js';
import { useLazy } from '../lib/lazy.js';
import { count, usd } from '../lib/format.js';
import { Facts } from '../components/facts.js';
import { PlannedNote } from '../components/planned-note.js';

/** @typedef {import('./view-props.js').ViewProps} ViewProps */

/** @param {import('../lib/use-config.js').PublicConfig} config */
const steps = (config) => [
  ['Generate', `Proposes up to ${count(config.limits.max_hypotheses_per_cycle, 'hypothesis', 'hypotheses')} per cycle, each with a rationale and a way to test it, steered by the last meta-review and your notes.`],
  ['Review', 'Scores novelty, feasibility and testability from 1 to 5 with reasons, flags safety concerns, and marks suggested references as unverified.'],
  ['Tournament', 'Similar hypotheses meet in matches judged by the model. Elo ratings start at 1200; the closest top pairs get a short debate instead of a single verdict.'],
  ['Evolve', 'The best are improved by combining, simplifying, grounding in evidence or thinking out of the box; the children enter the next tournament.'],
  ['Meta-review', 'Sums up what the reviews and debates keep saying and feeds it into the next cycle. A research overview closes the run.'],
];

/** @param {ViewProps} props */
export function ResearchView({ config, mode, route }) {
  const { limits } = config;
  const planner = useLazy(() => import('../components/run-planner.js'));
  const allowed = {
    inference: `Runs will use this Space's key, within its quotas and a daily budget of ${usd(limits.daily_spending_limit_usd)} that is never exceeded.`,
    byok: `Runs will use your own key: you pay your provider, and this Space's quotas and spending cap do not apply to you (its rate limits still do).${config.key_modes.byok_any_model ? ' Any model your key can reach is allowed.' : ''}`,
    'data-only': 'Without a key you will be able to open shared and saved runs, but not start new ones. Add your own key in Settings to run cycles.',
  }[mode];

  return html`<div class="view">
    <h2>Research</h2>
    <p class="lead">Give Labcoat a research goal, and an AI co-scientist works on it in cycles. Every step streams to this page as it happens.</p>

    ${route.id &&
    html`<p class="callout" data-testid="shared-run">You opened a link to run <code>${route.id}</code>. Shared runs open here, read-only, once research runs arrive in the next release.</p>`}

    <ol class="cycle" aria-label="One research cycle">
      ${steps(config).map(([name, text], i) => html`<li class="cycle-step"><span class="step-no" aria-hidden="true">${i + 1}</span><h3>${name}</h3><p>${text}</p></li>`)}
    </ol>
    <p class="muted">Before a run starts you see how many model calls it plans and the most it can cost. Between cycles you can add your own hypothesis, write a review, or pin and drop hypotheses.</p>

    ${planner.mod
      ? html`<${planner.mod.RunPlanner} config=${config} mode=${mode} />`
      : html`<p class="card muted" aria-busy=${planner.failed ? 'false' : 'true'}>${planner.failed ? 'The run planner could not be loaded. Reload the page to try again.' : 'Loading the run planner…'}</p>`}

    <div class="grid-2">
      <${Facts}
        title="Limits in this Space"
        facts=${[
          { term: 'Cycles per session', value: limits.max_cycles_per_session },
          { term: 'Hypotheses per cycle', value: limits.max_hypotheses_per_cycle },
          { term: 'Session ends after', value: `${limits.session_timeout_minutes} min idle` },
        ]}
      />
      <section class="card" aria-labelledby="research-mode-title">
        <h3 id="research-mode-title">In the current mode</h3>
        <p>${allowed}</p>
      </section>
    </div>
    <${PlannedNote}>Starting runs comes next: this tab will hold the goal form, the live cycle and the Elo leaderboard, and runs can be exported as Markdown or JSON.<//>
  </div>`;
}
