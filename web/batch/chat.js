// @ts-check
/**
 * Ask about a run's results: the conversation so far goes with each question (POST
 * batch/runs/:id/chat, streamed like /api/chat), answered by one of the run's endpoints (the
 * first by default) or by a model this Space offers. Stop ends the answer where it is. Loaded
 * with import() once the run has answers.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { batchRunPath, endpointName, TAGS } from './format.js';
import { useGet } from './load.js';
import { streamAnswer } from '../lib/chat-stream.js';

/** @typedef {{ role: 'user' | 'assistant', content: string, by?: string, stopped?: boolean }} Turn */

const MAX_MESSAGES = 20; // what the route accepts
const MAX_CHARS = 4000;
const SPACE = 'space:';

/**
 * @param {{
 *   run: import('../../shared/batch-types.js').BatchRun,
 *   mode: import('../lib/mode.js').EffectiveMode,
 *   onCalled: () => void,
 * }} props onCalled: after a call on this Space's key, so the usage meter catches up
 */
export function BatchChat({ run, mode, onCalled }) {
  const catalog = /** @type {ReturnType<typeof useGet<{ models: Array<{ id: string, name: string, allowed: boolean }> }>>} */ (
    useGet(mode === 'data-only' ? null : 'models')
  );
  const offered = (catalog.data?.models ?? []).filter((m) => m.allowed);
  const [turns, setTurns] = useState(/** @type {Turn[]} */ ([]));
  const [draft, setDraft] = useState('');
  const [target, setTarget] = useState('0');
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const running = useRef(/** @type {AbortController | null} */ (null));
  const alive = useRef(true);
  const logRef = useRef(/** @type {HTMLOListElement | null} */ (null));
  useEffect(
    () => () => {
      alive.current = false;
      running.current?.abort();
    },
    [],
  );
  // The newest words stay in view while they arrive.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [turns]);

  const space = target.startsWith(SPACE) ? target.slice(SPACE.length) : null;
  const endpoint = space === null ? (run.endpoints[Number(target)] ?? run.endpoints[0]) : null;
  const by = space ?? (endpoint ? `${TAGS[endpoint.index]}: ${endpointName(endpoint)}` : '');

  /** @param {(t: Turn) => Turn} change the answer being written */
  const lastTurn = (change) => setTurns((ts) => [...ts.slice(0, -1), change(/** @type {Turn} */ (ts.at(-1)))]);

  /** @param {Event} e */
  const send = async (e) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text || streaming) return;
    // What was said so far (answers cut short included, empty ones left out), then the question.
    const history = [...turns.filter((t) => t.content.trim() !== ''), /** @type {Turn} */ ({ role: 'user', content: text })];
    const messages = history.slice(-MAX_MESSAGES).map((t) => ({ role: t.role, content: t.content.slice(0, MAX_CHARS) }));
    const controller = new AbortController();
    running.current = controller;
    setTurns([...history, { role: 'assistant', content: '', by }]);
    setDraft('');
    setError(null);
    setStreaming(true);
    const body = { messages, ...(space ? { space_model: space } : { endpoint: endpoint?.index ?? 0 }) };
    try {
      const done = await streamAnswer(
        batchRunPath(run.id, '/chat'),
        body,
        (piece) => alive.current && lastTurn((t) => ({ ...t, content: t.content + piece })),
        controller.signal,
      );
      if (alive.current) lastTurn((t) => ({ ...t, content: t.content || done?.content || '' }));
    } catch (err) {
      if (!alive.current) return;
      if (controller.signal.aborted) lastTurn((t) => ({ ...t, stopped: true }));
      else {
        setError(err instanceof Error ? err.message : String(err));
        setTurns((ts) => (ts.at(-1)?.content ? ts : ts.slice(0, -1)));
      }
    } finally {
      running.current = null;
      if (alive.current) setStreaming(false);
      if (space) onCalled();
    }
  };

  /** @param {KeyboardEvent} e Ctrl+Enter (⌘+Enter) sends. */
  const onKey = (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) /** @type {HTMLTextAreaElement} */ (e.currentTarget).form?.requestSubmit();
  };

  return html`<section class="card batch-chat" aria-labelledby="batch-chat-title" data-testid="batch-chat">
    <h3 id="batch-chat-title">Ask about these results</h3>
    <p class="muted">The model gets a summary of this run (metrics, failures, checks) and your conversation. Try “Which prompts failed and why?” or “Which endpoint is better for support answers?”</p>
    ${
      turns.length > 0 &&
      html`<ol class="batch-chat-log" ref=${logRef} aria-live="polite" aria-busy=${streaming ? 'true' : 'false'} data-testid="chat-log">
      ${turns.map(
        (t, i) => html`<li key=${i} class="batch-turn" data-role=${t.role} data-testid="chat-turn">
          <span class="batch-turn-who">${t.role === 'user' ? 'You' : t.by}</span>
          <div class="batch-turn-text" data-empty=${t.content ? undefined : 'true'}>${t.content || (streaming && i === turns.length - 1 ? 'Thinking…' : '(no answer)')}</div>
          ${t.stopped && html`<span class="field-note">Stopped here.</span>`}
        </li>`,
      )}
    </ol>`
    }
    <form class="try-form batch-chat-form" onSubmit=${send} novalidate>
      <label for="batch-question">Your question</label>
      <textarea id="batch-question" rows="3" maxlength=${MAX_CHARS} value=${draft} onKeyDown=${onKey} aria-describedby="batch-question-hint"
        onInput=${(/** @type {Event} */ e) => setDraft(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
      <div class="try-row">
        <div class="catalog-field batch-chat-target">
          <label for="batch-chat-by">Answered by</label>
          <select id="batch-chat-by" value=${target} onChange=${(/** @type {Event} */ e) => setTarget(/** @type {HTMLSelectElement} */ (e.currentTarget).value)} disabled=${streaming}>
            <optgroup label="Your endpoints (your key)">
              ${run.endpoints.map((ep) => html`<option key=${ep.index} value=${String(ep.index)}>${TAGS[ep.index]}: ${endpointName(ep)}</option>`)}
            </optgroup>
            ${
              offered.length > 0 &&
              html`<optgroup label="Models this Space offers (its quotas apply)">
              ${offered.map((m) => html`<option key=${m.id} value=${SPACE + m.id}>${m.name}</option>`)}
            </optgroup>`
            }
          </select>
        </div>
        ${
          streaming
            ? html`<button type="button" class="button" onClick=${() => running.current?.abort()}>Stop</button>`
            : html`<button type="submit" class="button" data-tone="primary" disabled=${!draft.trim()}>Send</button>`
        }
      </div>
      <p id="batch-question-hint" class="field-note">Ctrl+Enter sends. Up to ${MAX_MESSAGES} messages of the conversation go with each question.</p>
    </form>
    ${error && html`<p class="callout" data-tone="warn" role="alert" data-testid="chat-error">${error}</p>`}
  </section>`;
}
