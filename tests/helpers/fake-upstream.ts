import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A fake OpenAI/OpenRouter-compatible upstream: a real HTTP server on 127.0.0.1, scripted per request. */

export interface RecordedRequest {
  method: string;
  /** URL path without the query string, e.g. /v1/chat/completions. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text if it was not JSON; undefined if empty. */
  body: any;
  /** Date.now() when the request body had been read. */
  at: number;
  /** The request's `reasoning` parameter as it arrived (undefined when it was not sent). */
  reasoning: unknown;
}

/** Where a reasoning model's thinking goes: OpenRouter's `reasoning` field, or DeepSeek's and vLLM's `reasoning_content`. */
export interface FakeReasoning {
  text: string;
  field: 'reasoning' | 'reasoning_content';
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cost?: number;
  /** Sent as completion_tokens_details.reasoning_tokens. */
  reasoning_tokens?: number;
  /** Sent instead of prompt + completion (servers that leave thinking out of completion_tokens). */
  total_tokens?: number;
}

export type Behavior =
  | {
      kind: 'ok';
      /** null: a message whose content is null (non-streamed); '' streams one empty piece. */
      content?: string | null;
      /** null: no usage in the answer at all. */
      usage?: FakeUsage | null;
      model?: string;
      latencyMs?: number;
      finish_reason?: string;
      /** Thinking beside the answer: in the message, or streamed as deltas of that field before the content. */
      reasoning?: FakeReasoning;
      /** DeepSeek-R1 style: the content opens with a long <think>…</think>; 'unclosed' is cut off inside it (no answer). */
      thinkInline?: true | 'unclosed';
      /** Prose before the content (a model that explains before its JSON). */
      preamble?: string;
    }
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string>; latencyMs?: number }
  | { kind: 'rate_limit'; retryAfterS?: number; retryAfterMs?: number }
  | { kind: 'midstream_fail'; afterChunks: number; content?: string }
  | { kind: 'stream_error'; afterChunks: number; error?: { code: number | string; message: string } }
  | { kind: 'hang' }
  | { kind: 'bad_json' }
  /** A web server's page where an API was expected (a wrong base URL). */
  | { kind: 'html'; status?: number };

export interface FakeModel {
  id: string;
  name?: string;
  context_length?: number;
  pricing?: { prompt: string; completion: string };
  /** OpenRouter's list of the request parameters the model accepts ("reasoning", "response_format", …). */
  supported_parameters?: string[];
}

export interface FakeUpstreamOptions {
  models?: FakeModel[];
  latencyMs?: number | ((req: RecordedRequest) => number);
  respond?: (req: RecordedRequest) => Behavior | undefined;
  /** If set, requests without `Authorization: Bearer <requireKey>` get 401. */
  requireKey?: string;
  chunkDelayMs?: number;
  /** OpenRouter's GET /key answer for any key (the visitor's credit); 404 when unset. */
  keyInfo?: { limit: number | null; usage: number; limit_remaining: number | null; is_free_tier?: boolean; label?: string };
}

export interface FakeUpstream {
  /** Base URL ending in /v1. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  enqueue(...b: Behavior[]): void;
  setLatency(ms: number | ((req: RecordedRequest) => number)): void;
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_MODELS: FakeModel[] = [
  { id: 'test/free-model', name: 'Test Free Model', context_length: 8192, pricing: { prompt: '0', completion: '0' } },
  { id: 'test/cheap-model', name: 'Test Cheap Model', context_length: 32768, pricing: { prompt: '0.0000001', completion: '0.0000002' } },
];

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'No auth credentials found',
  402: 'Insufficient credits',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request timed out',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: 'No available provider',
};

/** OpenRouter's error shape: HTTP status mirrored in error.code. */
export function errorBody(status: number, message = STATUS_MESSAGES[status] ?? `HTTP ${status}`, metadata?: Record<string, unknown>) {
  return { error: { code: status, message, ...(metadata ? { metadata } : {}) } };
}

/** Text of a message content: a string or an array of {type:'text', text} parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return '';
}

function defaultContent(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
  return `Echo: ${textOf(lastUser?.content).slice(0, 200)}`;
}

const tokens = (text: string) => Math.ceil(text.length / 4);

/** Long inline thinking, with brackets and a JSON-looking draft in it that must never be read as the answer. */
export const LONG_THINKING = [
  'Okay, the user wants an answer in JSON. Let me think about what they asked for [carefully].',
  'A first draft would be {"draft": true, "note": "not the answer"} but I should check the schema { again }.',
  ...Array.from({ length: 40 }, (_, i) => `Step ${i + 1}: weigh the evidence, consider alternatives, and keep going.`),
  'Alright, I am ready to answer.',
].join('\n');

/** Split so that joining the pieces gives back the exact text (word plus its trailing spaces). */
function splitChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: Behavior[] = [];
  const sockets = new Set<Socket>();
  let latency = opts.latencyMs ?? 0;
  let seq = 0;
  let closed = false;
  const chunkDelayMs = opts.chunkDelayMs ?? 0;

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  /** Write and wait until the bytes reach the socket, so a destroy() right after cannot swallow them. */
  const write = (res: ServerResponse, text: string) => new Promise<void>((resolve) => (res.destroyed ? resolve() : res.write(text, () => resolve())));

  const latencyFor = (req: RecordedRequest, b?: Behavior): number => {
    if (b && 'latencyMs' in b && b.latencyMs !== undefined) return b.latencyMs;
    return typeof latency === 'function' ? latency(req) : latency;
  };

  async function handleChat(rec: RecordedRequest, res: ServerResponse, req: IncomingMessage): Promise<void> {
    const body = rec.body;
    // Pick the behaviour synchronously on arrival so concurrent requests consume the queue in order.
    const b: Behavior = queue.shift() ?? opts.respond?.(rec) ?? { kind: 'ok' };
    if (b.kind === 'hang') return; // the socket stays open until the client gives up or close() runs
    const delay = latencyFor(rec, b);
    if (delay > 0) await sleep(delay);
    if (closed || res.destroyed) return;

    const stream = body.stream === true;
    const model = (b.kind === 'ok' && b.model) || (typeof body.model === 'string' ? body.model : 'test/unknown');
    const id = `chatcmpl-fake-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    const startSse = () => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.flushHeaders();
    };
    /** Send up to `limit` content chunks (first one carries the role), spaced by chunkDelayMs. */
    const sendContent = async (pieces: string[], limit = pieces.length) => {
      for (let i = 0; i < Math.min(limit, pieces.length) && !res.destroyed; i++) {
        if (i > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
        await write(res, chunk(i === 0 ? { role: 'assistant', content: pieces[i] } : { content: pieces[i] }, null));
      }
    };

    switch (b.kind) {
      case 'error':
        return sendJson(res, b.status, b.body ?? errorBody(b.status), b.headers);
      case 'rate_limit': {
        const headers: Record<string, string> = {};
        if (b.retryAfterS !== undefined) headers['Retry-After'] = String(b.retryAfterS);
        if (b.retryAfterMs !== undefined) headers['retry-after-ms'] = String(b.retryAfterMs);
        if (b.retryAfterS === undefined && b.retryAfterMs === undefined) headers['Retry-After'] = '1';
        return sendJson(res, 429, errorBody(429), headers);
      }
      case 'html':
        res.writeHead(b.status ?? 200, { 'Content-Type': 'text/html; charset=utf-8' });
        return void res.end('<!doctype html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>');
      case 'bad_json':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end('{"id": "chatcmpl-broken", "choices": [ this is not json');
      case 'midstream_fail':
        if (stream) {
          startSse();
          await sendContent(splitChunks(b.content ?? defaultContent(body)), b.afterChunks);
        }
        req.socket.destroy(); // no terminating chunk: the client sees a truncated body / socket error
        return;
      case 'stream_error': {
        // OpenRouter: once streaming has started the status stays 200 and the error arrives as a data: event.
        startSse();
        await sendContent(splitChunks(defaultContent(body)), b.afterChunks);
        const error = b.error ?? { code: 'server_error', message: 'Provider disconnected unexpectedly' };
        await write(res, chunk({ content: '' }, 'error', { error }));
        return void res.end();
      }
      case 'ok': {
        const answer = b.content === null ? null : `${b.preamble ?? ''}${b.content ?? defaultContent(body)}`;
        const content =
          b.thinkInline === 'unclosed' ? `<think>\n${LONG_THINKING}` : b.thinkInline ? `<think>\n${LONG_THINKING}\n</think>\n\n${answer ?? ''}` : answer;
        const finish = b.finish_reason ?? (b.thinkInline === 'unclosed' ? 'length' : 'stop');
        const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
        const thinking = (b.reasoning?.text.length ?? 0) + (b.thinkInline ? LONG_THINKING.length : 0);
        const u: FakeUsage = (b.usage === null ? undefined : b.usage) ?? {
          prompt_tokens: tokens(messages.map((m) => textOf(m?.content)).join('')),
          completion_tokens: tokens(content ?? '') + tokens(b.reasoning?.text ?? ''),
          ...(thinking > 0 ? { reasoning_tokens: Math.ceil(thinking / 4) } : {}),
        };
        const usage =
          b.usage === null
            ? undefined
            : {
                prompt_tokens: u.prompt_tokens,
                completion_tokens: u.completion_tokens,
                total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens,
                ...(u.reasoning_tokens !== undefined ? { completion_tokens_details: { reasoning_tokens: u.reasoning_tokens } } : {}),
                ...(u.cost !== undefined ? { cost: u.cost } : {}),
              };
        if (!stream) {
          const message = { role: 'assistant', content, ...(b.reasoning ? { [b.reasoning.field]: b.reasoning.text } : {}) };
          return sendJson(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finish }], usage });
        }
        const includeUsage = body.stream_options?.include_usage === true;
        startSse();
        // OpenRouter streams thinking first, in deltas whose content is empty.
        const thoughts = b.reasoning ? splitChunks(b.reasoning.text) : [];
        for (const [i, piece] of thoughts.entries()) {
          if (i > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
          await write(res, chunk({ ...(i === 0 ? { role: 'assistant' } : {}), content: '', [b.reasoning!.field]: piece }, null));
        }
        await sendContent(splitChunks(content ?? ''));
        if (chunkDelayMs > 0) await sleep(chunkDelayMs);
        await write(res, chunk({}, finish));
        if (includeUsage && usage) await write(res, `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
        await write(res, 'data: [DONE]\n\n');
        return void res.end();
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = raw === '' ? undefined : raw;
    let validJson = false;
    try {
      if (raw !== '') (body = JSON.parse(raw)), (validJson = true);
    } catch {
      /* keep the raw text in the log */
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const reasoning = validJson && typeof body === 'object' && body !== null ? body.reasoning : undefined;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: { ...req.headers }, body, at: Date.now(), reasoning };
    requests.push(rec);

    if (opts.requireKey !== undefined && req.headers.authorization !== `Bearer ${opts.requireKey}`) {
      return sendJson(res, 401, errorBody(401));
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const delay = latencyFor(rec);
      if (delay > 0) await sleep(delay);
      const data = (opts.models ?? DEFAULT_MODELS).map((m) => ({
        id: m.id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: m.id.split('/')[0] ?? 'test',
        name: m.name ?? m.id,
        context_length: m.context_length ?? 8192,
        pricing: m.pricing ?? { prompt: '0', completion: '0' },
        ...(m.supported_parameters ? { supported_parameters: m.supported_parameters } : {}),
      }));
      return sendJson(res, 200, { object: 'list', data });
    }
    if (req.method === 'GET' && path === '/v1/key' && opts.keyInfo) {
      return sendJson(res, 200, { data: opts.keyInfo });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      if (!validJson || typeof body !== 'object' || body === null || Array.isArray(body)) {
        return sendJson(res, 400, errorBody(400, 'Invalid JSON body'));
      }
      return handleChat(rec, res, req);
    }
    return sendJson(res, 404, errorBody(404, `No route for ${req.method} ${path}`));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, String(err)));
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...b) => void queue.push(...b),
    setLatency: (ms) => void (latency = ms),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () => {
      closed = true;
      // Destroy every socket first (hanging requests included), else server.close() would wait for them.
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
