// @ts-check
/**
 * A model's answer read as Server-Sent Events while it arrives: one turn of POST /api/chat
 * (stream: true), or any route that answers the same way (a chat about a batch run). Also the
 * plain POST under them, whose refusals keep every field of the server's error.
 */
import { ApiError, apiError, apiHeaders, keepSession } from './api.js';

/**
 * What the server says about a finished call.
 * @typedef {object} ChatSummary
 * @property {string} content
 * @property {string} model the model that answered (a fallback, maybe)
 * @property {string} requested_model
 * @property {string | null} finish_reason
 * @property {{ tokens_in: number, tokens_out: number, estimated: boolean }} usage
 * @property {number} cost_usd
 * @property {number} latency_ms
 * @property {number | null} ttft_ms
 * @property {boolean} cached
 */

/** @typedef {ApiError & { details?: Record<string, any> }} DetailedError an ApiError with the rest of { error } (rows, error_count, …) */

/**
 * POSTs JSON to /api/<path>. A refusal rejects with its ApiError, `details` holding the whole error object.
 * @param {string} path below /api, e.g. "batch/suites/parse"
 * @param {unknown} body
 * @param {{ accept?: string, signal?: AbortSignal }} [opts]
 * @returns {Promise<Response>} an ok response, its body unread
 */
export async function postJson(path, body, { accept = 'application/json', signal } = {}) {
  const headers = apiHeaders(accept, true);
  /** @type {Response} */
  let res;
  try {
    res = await fetch(`./api/${path}`, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin', signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  keepSession(res, headers['X-Session-ID'] ?? null);
  if (res.ok && res.body) return res;
  const refusal = await res.json().catch(() => null);
  /** @type {DetailedError} */
  const err = apiError(res.status, refusal);
  err.details = refusal?.error;
  throw err;
}

/**
 * @param {string} path below /api, a route that streams `delta` events, then `done` or `error`
 * @param {unknown} body
 * @param {(text: string) => void} onDelta each piece of the answer as it arrives
 * @param {AbortSignal} signal Stop: ends the request; what arrived stays with the caller
 * @returns {Promise<any>} the `done` event's data; rejects with an ApiError (a refusal, or the stream's own error), or the abort
 */
export async function streamAnswer(path, body, onDelta, signal) {
  // Refusals (quotas, the cap, the whitelist) come before any answer, as plain JSON.
  const res = await postJson(path, body, { accept: 'text/event-stream', signal });
  const reader = /** @type {ReadableStream} */ (res.body).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = (buffer + value).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event?.name === 'delta' && typeof event.data?.text === 'string') onDelta(event.data.text);
        else if (event?.name === 'done') return event.data;
        else if (event?.name === 'error') throw apiError(200, event.data);
      }
    }
  } catch (err) {
    if (err instanceof ApiError || signal.aborted) throw err;
    throw new ApiError(0, 'stream_cut', 'The connection dropped during the answer. Try again.');
  } finally {
    reader.cancel().catch(() => {});
  }
  throw new ApiError(0, 'stream_cut', 'The answer stopped before it finished. Try again.');
}

/**
 * One prompt to a model this Space offers (POST /api/chat).
 * @param {{ model: string, prompt: string, maxTokens: number }} ask
 * @param {(text: string) => void} onDelta
 * @param {AbortSignal} signal
 * @returns {Promise<ChatSummary>}
 */
export function streamChat({ model, prompt, maxTokens }, onDelta, signal) {
  return streamAnswer('chat', { model, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, stream: true }, onDelta, signal);
}

/**
 * @param {string} block one event: "event: …" and "data: …" lines
 * @returns {{ name: string, data: any } | null}
 */
function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  try {
    return { name, data: JSON.parse(data.join('\n')) };
  } catch {
    return null;
  }
}
