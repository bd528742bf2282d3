import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CallResult, ChatRequest } from '../../../../server/core/llm/llm-client.js';
import { chatJson, validate } from '../../../../server/core/llm/structured.js';

const Verdict = z.object({ winner: z.enum(['A', 'B']), reason: z.string().min(1) });
const answer = '{"winner": "B", "reason": "clearer"}';
/** Thinking that holds a JSON object which fits the schema: it must still never be taken as the answer. */
const thinking = 'The user wants {"winner": "A", "reason": "first guess"}? Let me weigh [both] {carefully}.\n'.repeat(20);

describe('validate: thinking and preambles before the JSON', () => {
  it('ignores a leading <think> block, even one holding JSON that fits', () => {
    expect(validate(`<think>\n${thinking}</think>\n\n${answer}`, Verdict)).toEqual({ ok: true, data: { winner: 'B', reason: 'clearer' } });
  });

  it('ignores thinking whose opening tag the chat template wrote', () => {
    expect(validate(`${thinking}</think>\n${answer}`, Verdict)).toMatchObject({ ok: true, data: { winner: 'B' } });
  });

  it('takes the JSON after a long preamble full of brackets and braces', () => {
    const preamble = 'Comparing the two [see A and B], each {roughly} plausible; I will answer as asked (in JSON):\n'.repeat(10);
    expect(validate(`${preamble}${answer}\nHope this helps [1].`, Verdict)).toMatchObject({ ok: true, data: { winner: 'B' } });
    expect(validate(`${preamble}\`\`\`json\n${answer}\n\`\`\``, Verdict)).toMatchObject({ ok: true, data: { winner: 'B' } });
  });

  it('prefers the answer to an example the preamble quotes', () => {
    expect(validate(`The format is {"winner": "A", "reason": "example"}. My answer:\n${answer}`, Verdict)).toMatchObject({ data: { reason: 'clearer' } });
  });

  it('says an unclosed <think> block (cut off by max_tokens) is no answer, and flags it', () => {
    expect(validate(`<think>\n${thinking}`, Verdict)).toEqual({
      ok: false,
      problem: 'the model used its whole output budget thinking and gave no answer (its <think> block never closed)',
      thinkingOnly: true,
    });
  });

  it('explains what is wrong: a reply cut short inside its JSON (not the pieces inside it), no JSON, the wrong shape, not JSON', () => {
    expect(validate('Here: {"winner": "B", "reason": "cl', Verdict)).toEqual({
      ok: false,
      problem: 'it is not valid JSON (it ends before its brackets close: it was cut short)',
    });
    expect(validate('nothing', Verdict)).toEqual({ ok: false, problem: 'it contains no JSON object or array' });
    expect(validate('{"winner": "C", "reason": "?"}', Verdict)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^it does not match the expected shape \(winner:/),
    });
    expect(validate("{'winner': 'B'}", Verdict)).toMatchObject({ ok: false, problem: expect.stringMatching(/^it is not valid JSON \(/) });
  });
});

describe('chatJson with a model that thinks', () => {
  const result = (content: string): CallResult => ({
    content,
    model: 'm',
    requested_model: 'm',
    finish_reason: 'length',
    usage: { tokens_in: 1, tokens_out: 1, estimated: false },
    cost_usd: 0,
    cost_source: 'catalog',
    latency_ms: 0,
    attempt_ms: 0,
    ttft_ms: null,
    cached: false,
    retries: 0,
    error: null,
  });
  const request: ChatRequest = { messages: [{ role: 'user', content: 'Pick one.' }], max_tokens: 300, reasoning: { effort: 'low' } };

  it('passes `reasoning` on and reads the answer after the thinking', async () => {
    const sent: ChatRequest[] = [];
    const r = await chatJson(async (req) => (sent.push(req), result(`<think>${thinking}</think>${answer}`)), request, Verdict, { jsonMode: false });
    expect(r.data).toEqual({ winner: 'B', reason: 'clearer' });
    expect(sent[0]!.reasoning).toEqual({ effort: 'low' });
  });

  it('stops at once when the thinking ran out of budget: no repair with the same budget, the fix in the error', async () => {
    const sent: ChatRequest[] = [];
    await expect(chatJson(async (req) => (sent.push(req), result(`<think>${thinking}`)), request, Verdict, { jsonMode: false })).rejects.toMatchObject({
      code: 'upstream_bad_response',
      message: expect.stringMatching(/whole output budget thinking and gave no answer\. Raise max tokens or lower the reasoning effort/),
    });
    expect(sent).toHaveLength(1);
  });

  it('gives the same error when the repair ran out thinking', async () => {
    const replies = ['no json', `<think>${thinking}`];
    await expect(chatJson(async () => result(replies.shift()!), request, Verdict, { jsonMode: false })).rejects.toMatchObject({
      message: expect.stringMatching(/whole output budget thinking/),
    });
    expect(replies).toHaveLength(0);
  });
});
