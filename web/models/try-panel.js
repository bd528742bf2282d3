// @ts-check
/**
 * "Try" a model from the catalog: a prompt, a token limit and the answer as it streams, then what
 * the call used and cost. A modal <dialog> like Settings (focus trapped, Esc closes, focus goes
 * back to the Try button). Loaded with import() on the first Try, so it costs the first page nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { dollars, tokenCount } from './catalog-format.js';
import { streamChat } from '../lib/chat-stream.js';
import { requestsLeft } from '../lib/use-usage.js';
import { Close } from '../lib/icons.js';

/** @typedef {import('../lib/chat-stream.js').ChatSummary} ChatSummary */

const MAX_TOKENS = 8192; // what POST /api/chat accepts

/** @param {import('./catalog-query.js').CatalogModel} m */
function priceText(m) {
  if (m.free) return 'free';
  if (!m.price_per_1m) return 'price unknown';
  return `${dollars(m.price_per_1m.input)} in · ${dollars(m.price_per_1m.output)} out per 1M tokens`;
}

/** @param {{ summary: ChatSummary, free: boolean }} props */
function Summary({ summary: s, free }) {
  const about = s.usage.estimated ? '≈ ' : '';
  let cost = s.cost_usd === 0 && free ? 'free' : dollars(s.cost_usd);
  if (s.cached) cost = 'nothing (a cached answer)';
  return html`<dl class="try-summary" data-testid="try-summary">
    <div><dt>Model</dt><dd><code>${s.model}</code>${s.model !== s.requested_model && ' (fallback)'}</dd></div>
    <div><dt>Tokens</dt><dd>${about}${tokenCount(s.usage.tokens_in)} in · ${about}${tokenCount(s.usage.tokens_out)} out</dd></div>
    <div><dt>Cost</dt><dd data-testid="try-cost">${cost}</dd></div>
    <div><dt>Time</dt><dd>${tokenCount(s.latency_ms)} ms${s.ttft_ms !== null && `, first words after ${tokenCount(s.ttft_ms)} ms`}</dd></div>
  </dl>`;
}

/**
 * @param {{
 *   model: import('./catalog-query.js').CatalogModel,
 *   ownKey: boolean,
 *   usage: import('../lib/use-usage.js').Usage | null,
 *   onClose: () => void,
 *   onCalled: () => void,
 * }} props onCalled: after every call that reached the server, so the usage meter catches up
 */
export function TryPanel({ model: m, ownKey, usage, onClose, onCalled }) {
  const dialogRef = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const promptRef = useRef(/** @type {HTMLTextAreaElement | null} */ (null));
  const running = useRef(/** @type {AbortController | null} */ (null));
  const alive = useRef(true);
  const [prompt, setPrompt] = useState('');
  const [maxTokens, setMaxTokens] = useState('256');
  const [problem, setProblem] = useState(/** @type {string | null} */ (null));
  const [answer, setAnswer] = useState('');
  const [summary, setSummary] = useState(/** @type {ChatSummary | null} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [state, setState] = useState(/** @type {'idle' | 'streaming' | 'stopped'} */ ('idle'));

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = /** @type {HTMLElement | null} */ (document.activeElement);
    dialog?.showModal();
    promptRef.current?.focus();
    return () => {
      alive.current = false;
      running.current?.abort();
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);

  /** @param {Event} e */
  const send = async (e) => {
    e.preventDefault();
    const text = prompt.trim();
    const n = Number(maxTokens);
    const bad = !text
      ? 'Write a prompt first.'
      : !Number.isInteger(n) || n < 1 || n > MAX_TOKENS
        ? `Max tokens is a whole number from 1 to ${tokenCount(MAX_TOKENS)}.`
        : null;
    setProblem(bad);
    if (bad) return;
    const controller = new AbortController();
    running.current = controller;
    setAnswer('');
    setSummary(null);
    setError(null);
    setState('streaming');
    let next = /** @type {'idle' | 'stopped'} */ ('idle');
    try {
      const s = await streamChat({ model: m.id, prompt: text, maxTokens: n }, (piece) => alive.current && setAnswer((a) => a + piece), controller.signal);
      if (!alive.current) return;
      setAnswer((a) => a || s.content);
      setSummary(s);
    } catch (err) {
      if (controller.signal.aborted) next = 'stopped';
      else if (alive.current) setError(err instanceof Error ? err.message : String(err));
    } finally {
      running.current = null;
      if (alive.current) setState(next);
      onCalled();
    }
  };

  /** @param {KeyboardEvent} e Ctrl+Enter (⌘+Enter) sends from the prompt box. */
  const onPromptKey = (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) /** @type {HTMLTextAreaElement} */ (e.currentTarget).form?.requestSubmit();
  };

  const streaming = state === 'streaming';
  const left = usage?.key_mode === 'server' ? requestsLeft(usage) : null;
  const payer = ownKey ? 'on your key' : `on this Space's key${left ? `, ${left.left} ${left.left === 1 ? 'request' : 'requests'} left this ${left.per}` : ''}`;

  return html`<dialog
    class="dialog try-dialog"
    ref=${dialogRef}
    aria-labelledby="try-title"
    onClose=${onClose}
    onClick=${(/** @type {MouseEvent} */ e) => e.target === dialogRef.current && onClose()}
    data-testid="try-panel"
  >
    <div class="dialog-body">
      <div class="dialog-head">
        <h2 id="try-title">Try ${m.name}</h2>
        <button type="button" class="icon-button" onClick=${onClose} aria-label="Close"><${Close} /></button>
      </div>
      <p class="try-meta"><code>${m.id}</code> · ${priceText(m)} · ${payer}</p>

      <form class="try-form" onSubmit=${send} novalidate>
        <label for="try-prompt">Prompt</label>
        <textarea
          id="try-prompt"
          ref=${promptRef}
          rows="4"
          maxlength="8000"
          value=${prompt}
          onInput=${(/** @type {Event} */ e) => setPrompt(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
          onKeyDown=${onPromptKey}
          placeholder="Ask anything, e.g. Explain Elo ratings in two sentences."
          aria-describedby="try-hint"
        ></textarea>
        <div class="try-row">
          <label class="try-tokens">
            <span>Max tokens</span>
            <input
              type="number"
              inputmode="numeric"
              min="1"
              max=${MAX_TOKENS}
              value=${maxTokens}
              onInput=${(/** @type {Event} */ e) => setMaxTokens(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
            />
          </label>
          <button type="submit" class="button" data-tone="primary" disabled=${streaming}>Send</button>
          <button type="button" class="button" data-tone="danger" disabled=${!streaming} onClick=${() => running.current?.abort()}>Stop</button>
        </div>
        <p id="try-hint" class=${problem ? 'field-error' : 'muted try-hint'}>${problem ?? 'Ctrl+Enter sends. Max tokens caps the answer and what it can cost.'}</p>
      </form>

      <div class="try-answer" data-testid="try-answer" data-empty=${answer ? undefined : 'true'} aria-live="polite" aria-busy=${streaming ? 'true' : 'false'}>
        ${answer || (streaming ? 'Waiting for the first words…' : 'The answer streams here.')}
      </div>
      <p class="status-line" role="status">${state === 'stopped' ? 'Stopped. What arrived is above, and is charged as far as it got.' : ''}</p>
      ${error && html`<p class="callout" data-tone="warn" role="alert" data-testid="try-error">${error}</p>`}
      ${summary && html`<${Summary} summary=${summary} free=${m.free} />`}
    </div>
  </dialog>`;
}
