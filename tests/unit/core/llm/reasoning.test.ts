import { describe, expect, it } from 'vitest';
import { checkReasoning, requestFor, splitThinking, thinkingIn, thinkingOnlyError } from '../../../../server/core/llm/reasoning.js';
import type { ChatRequest } from '../../../../server/core/llm/llm-client.js';

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 4000, reasoning: { effort: 'high' } };
const owner = { baseUrl: 'https://openrouter.ai/api/v1', apiKey: 'sk-x', model: 'deepseek/deepseek-r1' };

describe('reasoning: where the parameter is sent', () => {
  it('keeps `reasoning` for a model the catalog says takes it', () => {
    expect(requestFor(ask, owner, true)).toEqual(ask);
  });

  it('drops it for a model the catalog does not list as taking it, keeping every other field', () => {
    const { reasoning: _, ...rest } = ask;
    expect(requestFor(ask, owner, false)).toEqual(rest);
    expect('reasoning' in requestFor(ask, owner, false)).toBe(false);
  });

  it("never sends it to a visitor's own endpoint, whatever the catalog says", () => {
    const visitor = { ...owner, baseUrl: 'http://10.0.0.5:8000/v1', pin: { address: '10.0.0.5', family: 4 as const } };
    expect('reasoning' in requestFor(ask, visitor, true)).toBe(false);
  });

  it('leaves a request without `reasoning` as it is (the same object)', () => {
    const plain: ChatRequest = { messages: ask.messages };
    expect(requestFor(plain, owner, true)).toBe(plain);
  });

  it('refuses a thinking budget that leaves no room for the answer (max_tokens bounds both)', () => {
    expect(() => checkReasoning({ ...ask, reasoning: { max_tokens: 1000 } })).not.toThrow();
    expect(() => checkReasoning({ ...ask, reasoning: { effort: 'low' } })).not.toThrow();
    expect(() => checkReasoning({ ...ask, reasoning: { max_tokens: 4000 } })).toThrow(
      expect.objectContaining({ code: 'upstream_bad_request', billing: 'none', message: expect.stringMatching(/below max_tokens \(4000\)/) }),
    );
    expect(() => checkReasoning({ ...ask, reasoning: { max_tokens: 0 } })).toThrow(/at least 1/);
    expect(() => checkReasoning({ messages: ask.messages, reasoning: { max_tokens: 2.5 } })).toThrow(/whole number/);
  });
});

describe('reasoning: thinking in an answer', () => {
  it('finds thinking in OpenRouter, DeepSeek/vLLM and structured fields, counting one of them', () => {
    expect(thinkingIn({ reasoning: 'abc' })).toEqual({ present: true, chars: 3 });
    expect(thinkingIn({ reasoning_content: 'abcd' })).toEqual({ present: true, chars: 4 });
    expect(thinkingIn({ reasoning: 'abc', reasoning_details: [{ type: 'reasoning.text', text: 'abc' }] })).toEqual({ present: true, chars: 3 });
    expect(
      thinkingIn({
        reasoning_details: [
          { type: 'reasoning.summary', summary: 'ab' },
          { type: 'reasoning.encrypted', data: 'xyz' },
        ],
      }),
    ).toEqual({
      present: true,
      chars: 5,
    });
    expect(thinkingIn({ reasoning: '', reasoning_content: null, reasoning_details: [] })).toEqual({ present: false, chars: 0 });
    expect(thinkingIn(undefined)).toEqual({ present: false, chars: 0 });
  });

  it('splits a leading <think> block from the answer', () => {
    expect(splitThinking('<think>\nhmm {"a": 1}\n</think>\n\n{"b": 2}')).toEqual({ answer: '\n\n{"b": 2}', unfinished: false });
    expect(splitThinking('  <THINK>x</think>answer')).toEqual({ answer: 'answer', unfinished: false });
    expect(splitThinking('<thinking>x</thinking>answer')).toEqual({ answer: 'answer', unfinished: false });
  });

  it('takes only the answer when the chat template opened the block and the reply starts inside it', () => {
    expect(splitThinking('so the user wants JSON...\n</think>\n{"b": 2}')).toEqual({ answer: '\n{"b": 2}', unfinished: false });
  });

  it('says a block that never closed is unfinished: no answer at all', () => {
    expect(splitThinking('<think>\nstep 1, step 2, {"draft": true}')).toEqual({ answer: '', unfinished: true });
  });

  it('leaves an answer without thinking alone', () => {
    expect(splitThinking('{"a": "<think> is a tag"}')).toEqual({ answer: '{"a": "<think> is a tag"}', unfinished: false });
    expect(splitThinking('plain')).toEqual({ answer: 'plain', unfinished: false });
  });

  it('names the fix when the model only thought: a billed bad response', () => {
    expect(thinkingOnlyError()).toMatchObject({
      status: 502,
      code: 'upstream_bad_response',
      billing: 'unknown',
      retryable: false,
      message: expect.stringMatching(/whole output budget thinking and gave no answer.*raise max tokens or lower the reasoning effort/i),
    });
  });
});
