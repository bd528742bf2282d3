// @ts-check
/**
 * Plan a batch run: the endpoint (A) and what it is compared with (B: a second endpoint, or
 * another model on the same one), curated suites and the visitor's own, how many prompts at once,
 * who judges rubric checks, and before anything runs what it will do (POST batch/estimate, asked
 * again whenever the plan changes). Run starts it (POST batch/runs) and opens it at its own link.
 * The endpoints line, the upload, the settings and the estimate load with import() when first wanted.
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { batchRunHash, TAGS } from './format.js';
import { useDebouncedPost, useGet } from './load.js';
import { lazy } from '../lib/lazy.js';
import { LazyPart } from '../lib/lazy-part.js';
import { BatchSuitePicker } from './suite-picker.js';

const planEndpointsModule = lazy(() => import('./plan-endpoints.js'));
const uploadModule = lazy(() => import('./upload.js'));
const runOptionsModule = lazy(() => import('./run-options.js'));
const estimateModule = lazy(() => import('./estimate.js'));

/** @typedef {import('../../shared/batch-types.js').SuiteSummary} SuiteSummary */
/** @typedef {import('../../shared/batch-types.js').BatchEstimate} BatchEstimate */
/** @typedef {{ upload: import('../../shared/batch-types.js').SuiteUpload, parsed: import('../../shared/batch-types.js').ParsedSuite }} OwnSuite */

const NO_JUDGE = 'none'; // as batch-run-options.js, which loads only when the settings open

/**
 * @param {{
 *   config: import('../lib/use-config.js').PublicConfig,
 *   sessions: import('../../shared/batch-types.js').BatchSession[],
 *   models: string[],
 * }} props sessions: the endpoints picked for this run, in order (A, then B); models: the endpoint's list, for suggestions
 */
export function BatchPlanner({ config, sessions, models }) {
  const max = config.batch.max_concurrency;
  const listed = /** @type {ReturnType<typeof useGet<{ suites: SuiteSummary[] }>>} */ (useGet('batch/suites'));
  const suites = listed.data?.suites ?? null;
  const [picked, setPicked] = useState(/** @type {string[]} */ ([]));
  const [own, setOwn] = useState(/** @type {OwnSuite | null} */ (null));
  const [compare, setCompare] = useState(/** @type {string | null} */ (null));
  const [concurrency, setConcurrency] = useState(String(max));
  const [judge, setJudge] = useState('0');
  const [judgeModel, setJudgeModel] = useState('');
  const [uploading, setUploading] = useState(false);
  const [tuning, setTuning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState(/** @type {string | null} */ (null));

  const ids = sessions.map((s) => s.id);
  const otherModel = ids.length === 1 && compare !== null ? compare.trim() : '';
  const names = [...sessions.map((s) => s.label ?? s.model), ...(otherModel ? [otherModel] : [])];
  // The judge runs on one of this run's endpoints; a choice that left the run falls back to A.
  const judgeOn = judge === NO_JUDGE ? null : Number(judge) < names.length ? Number(judge) : 0;
  const workers = Number(concurrency);
  const allPicked = suites !== null && suites.length > 0 && picked.length === suites.length;
  const hasSuite = picked.length > 0 || own !== null;
  const selection = {
    session_ids: ids,
    ...(otherModel ? { compare_model: otherModel } : {}),
    suites: allPicked ? 'all' : picked,
    ...(own ? { custom_suite: own.upload } : {}),
    judge: judgeOn === null ? null : { endpoint: judgeOn, ...(judgeModel.trim() ? { model: judgeModel.trim() } : {}) },
  };
  const planned = /** @type {ReturnType<typeof useDebouncedPost<BatchEstimate>>} */ (
    useDebouncedPost('batch/estimate', ids.length > 0 && hasSuite ? selection : null)
  );
  const why =
    ids.length === 0
      ? 'Save an endpoint first.'
      : !hasSuite
        ? 'Pick a suite first.'
        : compare !== null && ids.length === 1 && !otherModel
          ? 'Name model B, or untick the comparison.'
          : !(Number.isInteger(workers) && workers >= 1 && workers <= max)
            ? `Parallel requests: 1 to ${max}.`
            : null;

  /** @param {Event} e */
  const start = async (e) => {
    e.preventDefault();
    if (why || starting) return;
    setStarting(true);
    setStartError(null);
    try {
      /** @type {{ id: string }} */
      const started = await api('batch/runs', { body: { ...selection, concurrency: workers } });
      window.location.hash = batchRunHash(started.id);
    } catch (err) {
      setStartError(err instanceof Error ? err.message : String(err));
      setStarting(false);
    }
  };

  const runButton = html`<div class="plan-run">
    <button type="submit" class="button" data-tone="primary" disabled=${why !== null || starting} aria-describedby=${why ? 'batch-run-why' : undefined}>${starting ? 'Starting…' : 'Run'}</button>
    ${why && html`<span id="batch-run-why" class="field-note">${why}</span>`}
  </div>`;

  return html`<section class="card plan batch-plan" aria-labelledby="batch-plan-title" data-testid="batch-planner">
    <h3 id="batch-plan-title">Plan a run</h3>
    <form class="plan-form" onSubmit=${start} novalidate>
      ${
        sessions.length === 0
          ? html`<p class="muted" data-testid="plan-endpoints">Save an endpoint above; the run goes to it.</p>`
          : html`<${LazyPart} key="endpoints" load=${planEndpointsModule} text=${null}
            show=${(/** @type {typeof import('./plan-endpoints.js')} */ m) => html`<${m.BatchPlanEndpoints} sessions=${sessions} compare=${compare} onCompare=${setCompare} models=${models} />`} />`
      }
      ${
        suites
          ? html`<${BatchSuitePicker} suites=${suites} picked=${picked} onPick=${setPicked} />`
          : listed.error
            ? html`<p class="callout" data-tone="warn" role="alert">The suites could not be loaded: ${listed.error} <button type="button" class="link-button" onClick=${listed.reload}>Try again</button></p>`
            : html`<p class="muted" aria-busy="true">Loading the suites…</p>`
      }
      ${
        uploading || own
          ? html`<${LazyPart} key="upload" load=${uploadModule} show=${(/** @type {typeof import('./upload.js')} */ m) => html`<${m.BatchUpload} suite=${own} onSuite=${setOwn} />`} />`
          : html`<p class="batch-upload-open">
            <button type="button" class="button" onClick=${() => setUploading(true)}>Add your own suite…</button>
            <span class="field-note">JSON or CSV with your prompts and checks, up to 1 MB; checked here before it runs.</span>
          </p>`
      }
      <details class="batch-settings" onToggle=${(/** @type {Event} */ e) => setTuning(/** @type {HTMLDetailsElement} */ (e.currentTarget).open)}>
        <summary>Run settings <span class="field-note">${concurrency.trim() || '?'} at once · rubrics ${judgeOn === null ? 'not judged' : `judged by ${TAGS[judgeOn]}`}${judgeModel.trim() ? ` (${judgeModel.trim()})` : ''}</span></summary>
        ${
          tuning &&
          html`<${LazyPart} key="settings" load=${runOptionsModule} show=${(/** @type {typeof import('./run-options.js')} */ m) => html`<${m.BatchRunOptions}
          max=${max} concurrency=${concurrency} onConcurrency=${setConcurrency} names=${names}
          judge=${judgeOn === null ? NO_JUDGE : String(judgeOn)} onJudge=${setJudge} judgeModel=${judgeModel} onJudgeModel=${setJudgeModel} />`} />`
        }
      </details>
      ${
        ids.length > 0 && hasSuite
          ? html`<${LazyPart} key="estimate" load=${estimateModule} show=${(/** @type {typeof import('./estimate.js')} */ m) =>
              html`<${m.BatchEstimateLine} estimate=${planned.data} error=${planned.error} pending=${planned.pending}>${runButton}<//>`} />`
          : html`<div class="plan-go"><p class="plan-total muted">Pick ${ids.length === 0 ? 'an endpoint and ' : ''}at least one suite to see what the run will do.</p>${runButton}</div>`
      }
      ${startError && html`<p class="callout" data-tone="warn" role="alert" data-testid="start-error">${startError}</p>`}
    </form>
  </section>`;
}
