// @ts-check
/**
 * The Research tab without a run open: the start form, this session's runs, how a cycle works
 * and the limits here. Loaded with import() by the tab, so a run's link never fetches it.
 */
import { html } from '../lib/html.js';
import { count, usd } from '../lib/format.js';
import { Facts } from '../lib/facts.js';
import { RunHistory } from './run-history.js';
import { RunPlanner } from './run-planner.js';

/** @param {import('../lib/use-config.js').PublicConfig} config */
const steps = (config) => [
  [
    'Generate',
    `Proposes up to ${count(config.limits.max_hypotheses_per_cycle, 'hypothesis', 'hypotheses')} per cycle, each with a rationale and a way to test it, steered by the last meta-review and your notes.`,
  ],
  [
    'Review',
    'Scores novelty, feasibility and testability from 1 to 5 with reasons and flags safety concerns. Each reference it suggests is checked against the literature: verified, not found or unverifiable.',
  ],
  [
    'Tournament',
    'Similar hypotheses meet in matches judged by the model. Elo ratings start at 1200; the closest top pairs get a short debate instead of a single verdict.',
  ],
  ['Evolve', 'The best are improved by combining, simplifying, grounding in evidence or thinking out of the box; the children enter the next tournament.'],
  ['Meta-review', 'Sums up what the reviews and debates keep saying and feeds it into the next cycle. A research overview closes the run.'],
];

/**
 * @param {{
 *   config: import('../lib/use-config.js').PublicConfig,
 *   mode: import('../lib/mode.js').EffectiveMode,
 *   onStarted: () => void,
 * }} props
 */
export function ResearchHome({ config, mode, onStarted }) {
  const { limits } = config;
  const allowed = {
    inference: `Runs use this Space's key, within its quotas and a daily budget of ${usd(limits.daily_spending_limit_usd)} that is never exceeded.`,
    byok: `Runs use your own key: you pay your provider, and this Space's quotas and spending cap do not apply to you (its rate limits still do).${config.key_modes.byok_any_model ? ' Any model your key can reach is allowed.' : ''}`,
    'data-only': 'Without a key you can open shared and saved runs, but not start new ones. Add your own key in Settings to run cycles.',
  }[mode];

  return html`<${RunPlanner} config=${config} mode=${mode} onStarted=${onStarted} />
    <${RunHistory} />
    <ol class="cycle" aria-label="One research cycle">
      ${steps(config).map(([name, text], i) => html`<li class="cycle-step"><span class="step-no" aria-hidden="true">${i + 1}</span><h3>${name}</h3><p>${text}</p></li>`)}
    </ol>
    <p class="muted">Between cycles you can add your own hypothesis, write a review, pin and drop hypotheses, and leave notes for the next cycle. Each run has a link that opens it read-only for anyone, and exports as Markdown or JSON.</p>
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
    </div>`;
}
