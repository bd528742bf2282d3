// @ts-check
/** The top of a run: its goal and state, who may change it, what it used, the owner's buttons, sharing and export. */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { count } from '../lib/format.js';
import { STATE_LABELS, when } from './format.js';
import { RunActions } from './run-actions.js';
import { ShareExport } from './share-export.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/** @param {Record<string, any>} s the run's settings, in a sentence */
function settingsText(s) {
  const debate = s.debate ? `debates on (${count(s.debate_pairs, 'pair')}, ${s.debate_turns} turns)` : 'no debates';
  return `${count(s.hypotheses, 'hypothesis', 'hypotheses')} per cycle · ${s.top_k} evolved · ${s.matches_per_entrant} matches per newcomer · ${debate} · Elo K ${s.elo_k}${s.reasoning && s.reasoning !== 'off' ? ` · reasoning ${s.reasoning}` : ''}`;
}

/**
 * @param {{
 *   run: Run,
 *   usage: import('../lib/use-usage.js').Usage | null,
 *   onChanged: (run?: Run) => void,
 * }} props
 */
export function RunHeader({ run, usage, onChanged }) {
  // A cancelled cycle leaves the run idle (more cycles may follow); say what happened, not "Done".
  const stopped = run.state === 'idle' && run.cycles.at(-1)?.state === 'cancelled';
  const spent = run.key_mode === 'byok' ? ' on your key' : run.usage.usd > 0 ? `, ${dollars(run.usage.usd)}` : '';
  return html`<header class="card run-head">
    <div class="run-title">
      <h2>Research run</h2>
      <span class="state-pill" data-state=${stopped ? 'cancelled' : run.state} data-testid="run-state">${stopped ? 'Cancelled' : (STATE_LABELS[run.state] ?? run.state)}</span>
      ${!run.owner && html`<span class="pill" data-testid="read-only">Read-only</span>`}
    </div>
    <p class="run-goal" data-testid="run-goal">${run.goal}</p>
    <p class="run-meta" data-testid="shared-run">
      <span>Run <code>${run.id}</code></span>
      <span><code>${run.model}</code></span>
      <span>started ${when(run.created_at)}</span>
      <span>${count(run.cycles.length, 'cycle')}</span>
      <span>${count(run.usage.calls, 'model call')}${spent}</span>
    </p>
    <p class="field-note">${settingsText(run.settings)}</p>
    ${
      run.owner
        ? html`<${RunActions} run=${run} usage=${usage} onChanged=${onChanged} />`
        : html`<p class="muted">You opened a link to someone’s run: you can read and export it, and only the session that started it can change it.</p>`
    }
    <${ShareExport} id=${run.id} />
  </header>`;
}
