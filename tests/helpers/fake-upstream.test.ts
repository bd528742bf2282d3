import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { makeTempDir } from './temp-dir.js';

let up: FakeUpstream;
beforeEach(async () => {
  up = await startFakeUpstream();
});
afterEach(async () => {
  await up.close();
});

const chat = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${up.url}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-test', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Response.json() is typed `unknown` in Node's types; the tests poke at it freely. */
const json = (res: Response): Promise<any> => res.json();

const ask = (text: string, extra: object = {}) => ({ model: 'test/free-model', messages: [{ role: 'user', content: text }], ...extra });

/** The JSON payloads of every `data:` event, with '[DONE]' kept as a string. */
function sseEvents(text: string): any[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

/** Read a streamed body until it ends or fails; returns what arrived and the error, if any. */
async function readAll(res: Response): Promise<{ text: string; error?: unknown }> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += dec.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe('fake upstream', () => {
  it('lists models in the OpenRouter format', async () => {
    const res = await fetch(`${up.url}/models`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.object).toBe('list');
    expect(body.data.map((m: any) => m.id)).toEqual(['test/free-model', 'test/cheap-model']);
    expect(body.data[1]).toMatchObject({ object: 'model', owned_by: 'test', pricing: { prompt: '0.0000001', completion: '0.0000002' } });
    expect(typeof body.data[0].context_length).toBe('number');
  });

  it('answers a non-stream completion with a deterministic echo and usage', async () => {
    const res = await chat(ask('hello there'));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'test/free-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Echo: hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
    expect(body.usage.cost).toBeUndefined();

    up.enqueue({ kind: 'ok', content: 'custom', model: 'other/model', usage: { prompt_tokens: 10, completion_tokens: 2, cost: 0.001 } });
    const json2 = await json(await chat(ask('x')));
    expect(json2.model).toBe('other/model');
    expect(json2.choices[0].message.content).toBe('custom');
    expect(json2.usage).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, cost: 0.001 });
  });

  it('streams chunks ending in [DONE], with a usage chunk only when include_usage', async () => {
    const res = await chat(ask('one two three', { stream: true }));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe('Echo: one two three');
    expect(chunks.length).toBeGreaterThan(3); // really split, not one blob
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(chunks.some((c) => c.usage)).toBe(false);

    const withUsage = sseEvents(await (await chat(ask('hi', { stream: true, stream_options: { include_usage: true } }))).text());
    expect(withUsage.at(-1)).toBe('[DONE]');
    const usageChunk = withUsage.at(-2);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    expect(withUsage.at(-3).choices[0].finish_reason).toBe('stop');
  });

  it('thinks like a reasoning model: a reasoning field, streamed thinking first, inline <think>, a preamble, no usage', async () => {
    up.enqueue({ kind: 'ok', content: '{"a":1}', reasoning: { text: 'hmm let me see', field: 'reasoning_content' }, preamble: 'Sure. ' });
    const body = await json(await chat(ask('x', { reasoning: { effort: 'low' } })));
    expect(body.choices[0].message).toEqual({ role: 'assistant', content: 'Sure. {"a":1}', reasoning_content: 'hmm let me see' });
    expect(body.usage).toMatchObject({ completion_tokens: 4 + 4, completion_tokens_details: { reasoning_tokens: 4 } });
    expect(up.requests[0]!.reasoning).toEqual({ effort: 'low' });

    up.enqueue({ kind: 'ok', content: 'done', reasoning: { text: 'step one step two', field: 'reasoning' } });
    const events = sseEvents(await (await chat(ask('x', { stream: true }))).text()).slice(0, -1);
    const deltas = events.map((e) => e.choices[0].delta);
    expect(deltas.map((d) => d.reasoning ?? '').join('')).toBe('step one step two');
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('done');
    const firstAnswer = deltas.findIndex((d) => d.content);
    expect(deltas.slice(0, firstAnswer).every((d) => d.reasoning && d.content === '')).toBe(true);
    expect(deltas.slice(firstAnswer).some((d) => d.reasoning)).toBe(false);
    expect(up.requests[1]!.reasoning).toBeUndefined();

    up.enqueue({ kind: 'ok', content: 'answer', thinkInline: true }, { kind: 'ok', thinkInline: 'unclosed' }, { kind: 'ok', content: 'x', usage: null });
    const inline = await json(await chat(ask('x')));
    expect(inline.choices[0].message.content).toMatch(/^<think>\n[\s\S]{1000,}\n<\/think>\n\nanswer$/);
    const cut = await json(await chat(ask('x')));
    expect(cut.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: expect.not.stringContaining('</think>') } });
    expect((await json(await chat(ask('x')))).usage).toBeUndefined();
  });

  it("lists a model's supported_parameters when given", async () => {
    const own = await startFakeUpstream({ models: [{ id: 'a/thinks', supported_parameters: ['reasoning'] }, { id: 'b/plain' }] });
    const body = await json(await fetch(`${own.url}/models`));
    await own.close();
    expect(body.data.map((m: any) => m.supported_parameters)).toEqual([['reasoning'], undefined]);
  });

  it('returns an error status with the default and a custom body', async () => {
    up.enqueue(
      { kind: 'error', status: 502 },
      { kind: 'error', status: 400, body: { error: { code: 400, message: 'bad model' } }, headers: { 'x-custom': 'yes' } },
    );
    const a = await chat(ask('x'));
    expect(a.status).toBe(502);
    expect(await json(a)).toEqual({ error: { code: 502, message: expect.any(String) } });
    const b = await chat(ask('x'));
    expect(b.status).toBe(400);
    expect(b.headers.get('x-custom')).toBe('yes');
    expect((await json(b)).error.message).toBe('bad model');
    expect((await chat(ask('x'))).status).toBe(200); // queue consumed: back to default
  });

  it('rate limits with Retry-After and retry-after-ms', async () => {
    up.enqueue({ kind: 'rate_limit', retryAfterS: 7 }, { kind: 'rate_limit', retryAfterMs: 250 });
    const a = await chat(ask('x'));
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('7');
    expect((await json(a)).error.code).toBe(429);
    const b = await chat(ask('x'));
    expect(b.headers.get('retry-after-ms')).toBe('250');
    expect(b.headers.get('retry-after')).toBeNull();
    await b.text();
  });

  it('midstream_fail truncates a stream and drops a non-stream request', async () => {
    up.enqueue({ kind: 'midstream_fail', afterChunks: 2, content: 'alpha beta gamma delta' });
    const res = await chat(ask('x', { stream: true }));
    expect(res.status).toBe(200);
    const { text, error } = await readAll(res);
    expect(error).toBeDefined();
    expect(text).not.toContain('[DONE]');
    expect(sseEvents(text).map((c) => c.choices[0].delta.content)).toEqual(['alpha ', 'beta ']);

    up.enqueue({ kind: 'midstream_fail', afterChunks: 0 });
    await expect(chat(ask('x'))).rejects.toThrow();
  });

  it('stream_error sends an OpenRouter-style error event inside a 200 stream', async () => {
    up.enqueue({ kind: 'stream_error', afterChunks: 1, error: { code: 502, message: 'provider went away' } });
    const res = await chat(ask('a b c', { stream: true }));
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events).toHaveLength(2);
    expect(events[0].choices[0].delta.content).toBe('Echo: ');
    expect(events[1].error).toEqual({ code: 502, message: 'provider went away' });
    expect(events[1].choices[0].finish_reason).toBe('error');
  });

  it('bad_json and invalid request JSON', async () => {
    up.enqueue({ kind: 'bad_json' });
    const res = await chat(ask('x'));
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
    const bad = await chat('{not json');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe(400);
    expect(up.requests.at(-1)!.body).toBe('{not json');
  });

  it('hang never answers, and close() releases it without hanging the test', async () => {
    up.enqueue({ kind: 'hang' });
    const pending = chat(ask('x')).then(
      () => 'answered',
      () => 'failed',
    );
    while (up.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 100))]);
    expect(early).toBe('still waiting');
    await up.close();
    expect(await pending).toBe('failed');
  });

  it('applies latency before answering', async () => {
    // Timers are ms-granular and may fire up to ~1 ms "early" against performance.now(): allow 2 ms of slack.
    up.setLatency(120);
    let t0 = performance.now();
    await json(await chat(ask('x')));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(118);

    up.setLatency((r) => (r.body?.model === 'slow' ? 150 : 0));
    t0 = performance.now();
    await json(await chat({ model: 'slow', messages: [] }));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(148);

    up.enqueue({ kind: 'ok', latencyMs: 100 });
    up.setLatency(0);
    t0 = performance.now();
    await json(await chat(ask('x')));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(98);
  });

  it('spaces stream chunks by chunkDelayMs', async () => {
    const slow = await startFakeUpstream({ chunkDelayMs: 40 });
    try {
      const t0 = performance.now();
      const res = await fetch(`${slow.url}/chat/completions`, { method: 'POST', body: JSON.stringify(ask('a b', { stream: true })) });
      const events = sseEvents(await res.text());
      // 'Echo: ', 'a ', 'b' then the stop chunk: three gaps of 40 ms (minus timer slack).
      expect(events.filter((e) => e !== '[DONE]' && e.choices[0].delta.content !== undefined)).toHaveLength(3);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    } finally {
      await slow.close();
    }
  });

  it('requireKey rejects missing or wrong keys with 401', async () => {
    const keyed = await startFakeUpstream({ requireKey: 'sk-right' });
    try {
      const post = (auth?: string) =>
        fetch(`${keyed.url}/chat/completions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
          body: JSON.stringify(ask('x')),
        });
      expect((await post()).status).toBe(401);
      const wrong = await post('Bearer sk-wrong');
      expect(wrong.status).toBe(401);
      expect((await json(wrong)).error.code).toBe(401);
      expect((await post('Bearer sk-right')).status).toBe(200);
      expect((await fetch(`${keyed.url}/models`)).status).toBe(401);
    } finally {
      await keyed.close();
    }
  });

  it('records every request with body and headers; reset() clears; unknown routes 404', async () => {
    await json(await chat(ask('logged'), { 'X-Title': 'Labcoat' }));
    expect((await fetch(`${up.url}/nope`)).status).toBe(404);
    expect(up.requests).toHaveLength(2);
    const [first, second] = up.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: ask('logged') });
    expect(first!.headers.authorization).toBe('Bearer sk-test');
    expect(first!.headers['x-title']).toBe('Labcoat');
    expect(typeof first!.at).toBe('number');
    expect(second).toMatchObject({ method: 'GET', path: '/v1/nope', body: undefined });

    up.enqueue({ kind: 'error', status: 500 });
    up.reset();
    expect(up.requests).toEqual([]);
    expect((await chat(ask('x'))).status).toBe(200);
  });

  it('uses respond() after the queue is empty', async () => {
    const scripted = await startFakeUpstream({ respond: (r) => (r.body?.model === 'bad' ? { kind: 'error', status: 503 } : undefined) });
    try {
      const post = (model: string) => fetch(`${scripted.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages: [] }) });
      expect((await post('bad')).status).toBe(503);
      expect((await post('good')).status).toBe(200);
      scripted.enqueue({ kind: 'ok' });
      expect((await post('bad')).status).toBe(200);
    } finally {
      await scripted.close();
    }
  });
});

describe('FakeClock', () => {
  it('starts at a fixed time and moves only when told', () => {
    const clock = new FakeClock();
    expect(clock.now()).toBe(Date.parse('2026-01-15T12:00:00Z'));
    clock.advance(1500);
    expect(clock.now()).toBe(Date.parse('2026-01-15T12:00:01.500Z'));
    clock.set('2030-01-01T00:00:00Z');
    expect(clock.now()).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(new FakeClock(42).now()).toBe(42);
    expect(() => clock.advance(-1)).toThrow();
  });
});

describe('makeTempDir', () => {
  it('creates a dir under the OS temp dir and removes it on cleanup', async () => {
    const dir = await makeTempDir('labcoat-helper-');
    expect(dir.path.startsWith(join(tmpdir(), 'labcoat-helper-'))).toBe(true);
    await writeFile(join(dir.path, 'f.txt'), 'x');
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
    await dir.cleanup(); // idempotent
  });
});
