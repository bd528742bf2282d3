import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { runPrompt, type PromptRunDeps } from '../../../../server/features/batch/prompt-runner.js';
import { BoundedRegex } from '../../../../server/features/batch/bounded-regex.js';
import { StoredAnswers, STORED_ANSWER_CHARS } from '../../../../server/features/batch/stored-answers.js';
import type { Task } from '../../../../server/features/batch/run-plan.js';
import { suiteSchema } from '../../../../server/features/batch/suite-schema.js';
import { LlmClient, type Target } from '../../../../server/core/llm/llm-client.js';
import { parsePrice } from '../../../../server/core/accounting/pricing.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { type Behavior, type FakeUpstream, startFakeUpstream } from '../../../helpers/fake-upstream.js';
import { eventually } from '../../../helpers/listen.js';

let upstream: FakeUpstream;
let answerWith: (body: any) => Behavior | undefined;
const clock = new FakeClock();
const price = parsePrice('0.000001', '0.000002');
// A generous deadline: the 20 ms default is a production bound a loaded test machine can miss.
const regex = new BoundedRegex(5_000, 60_000);

beforeAll(async () => {
  upstream = await startFakeUpstream({ respond: (rec) => answerWith(rec.body) });
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.reset();
  answerWith = () => ({ kind: 'ok', content: 'The capital of France is Paris.', usage: { prompt_tokens: 20, completion_tokens: 8 } });
});

function deps(over: Partial<PromptRunDeps> = {}): PromptRunDeps {
  return {
    llm: new LlmClient({ clock, logger: pino({ level: 'silent' }), metrics: createMetrics(), priceOf: () => price }),
    clock,
    regex,
    timeoutMs: 5000,
    temperature: null,
    answers: new StoredAnswers([]),
    ...over,
  };
}

function task(prompt: { prompt: string; system?: string; max_tokens?: number; check?: Record<string, unknown> }, endpoint = 0): Task {
  const suite = suiteSchema.parse({
    id: 'custom-suite',
    name: 'Mine',
    domain: 'custom',
    difficulty: 'custom',
    prompts: [{ id: 'p1', category: 'facts', ...prompt }],
  });
  return { slot: `${endpoint}:custom-suite:p1`, endpoint, suite, prompt: suite.prompts[0]! };
}

const target = (): Target => ({ baseUrl: upstream.url, apiKey: 'k', model: 'test/cheap-model' });
const judge = (): Target => ({ baseUrl: upstream.url, apiKey: 'k', model: 'test/judge' });
const signal = () => new AbortController().signal;
const chats = () => upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));

describe('runPrompt', () => {
  it('streams one call with the prompt (and system prompt) and records what came back', async () => {
    const r = await runPrompt(
      task({ system: 'Be brief.', prompt: 'Capital of France?', max_tokens: 50 }, 1),
      target(),
      null,
      deps({ temperature: 0.3 }),
      signal(),
    );
    expect(r).toMatchObject({
      suite_id: 'custom-suite',
      prompt_id: 'p1',
      endpoint: 1,
      ok: true,
      error_code: null,
      error_message: null,
      tokens_in: 20,
      tokens_out: 8,
      content_length: 'The capital of France is Paris.'.length,
      answer: 'The capital of France is Paris.',
      answer_truncated: false,
      check: null,
      judge: null,
      model_answered: 'test/cheap-model',
      finished_at: clock.now(),
    });
    expect(r!.cost_usd).toBeCloseTo(20 * 0.000001 + 8 * 0.000002, 12);
    const [req] = chats();
    expect(req!.body).toMatchObject({
      stream: true,
      max_tokens: 50,
      temperature: 0.3,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
    });
  });

  it('sends no temperature when none is set, and no system message without one', async () => {
    await runPrompt(task({ prompt: 'Hi' }), target(), null, deps(), signal());
    const body = chats()[0]!.body;
    expect(body).not.toHaveProperty('temperature');
    expect(body.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it.each([
    [{ type: 'contains', values: ['paris'] }, 'pass', 'found "paris"'],
    [{ type: 'contains', values: ['Berlin'] }, 'fail', 'missing "Berlin"'],
    [{ type: 'regex', pattern: 'capital\\s+of', flags: 'i' }, 'pass', 'matches /capital\\s+of/i'],
  ])('runs the prompt’s check (%j)', async (check, result, detail) => {
    const r = await runPrompt(task({ prompt: 'Capital?', check }), target(), null, deps(), signal());
    expect(r).toMatchObject({ check: result, check_detail: detail });
  });

  it('asks the judge for a rubric check and passes at 4 or more', async () => {
    answerWith = (body) =>
      body.model === 'test/judge'
        ? { kind: 'ok', content: JSON.stringify({ score: 4, reason: 'Correct and short.' }), usage: { prompt_tokens: 100, completion_tokens: 10 } }
        : { kind: 'ok', content: 'Paris.' };
    const r = await runPrompt(
      task({ prompt: 'Capital?', check: { type: 'judge', rubric: 'Names Paris as the capital.' } }),
      target(),
      judge(),
      deps(),
      signal(),
    );
    expect(r).toMatchObject({
      check: 'pass',
      check_detail: 'judge test/judge: 4/5 \u2014 Correct and short.',
      judge: { score: 4, reason: 'Correct and short.' },
    });
    expect(r!.judge_cost_usd).toBeCloseTo(100 * 0.000001 + 10 * 0.000002, 12);
    const judged = chats().find((c) => c.body.model === 'test/judge')!;
    expect(judged.body.messages[1].content).toContain('<answer>\nParis.\n</answer>');
  });

  it('fails a rubric scored under 4, and leaves it unjudged without a judge or a score', async () => {
    answerWith = (body) => (body.model === 'test/judge' ? { kind: 'ok', content: '{"score": 2, "reason": "Wrong."}' } : { kind: 'ok', content: 'Lyon.' });
    const rubric = { type: 'judge' as const, rubric: 'Names Paris as the capital.' };
    expect(await runPrompt(task({ prompt: 'Capital?', check: rubric }), target(), judge(), deps(), signal())).toMatchObject({ check: 'fail' });
    expect(await runPrompt(task({ prompt: 'Capital?', check: rubric }), target(), null, deps(), signal())).toMatchObject({
      check: null,
      check_detail: 'not judged: pick a judge model to score rubric checks',
    });
    answerWith = (body) => (body.model === 'test/judge' ? { kind: 'ok', content: 'I think it is fine.' } : { kind: 'ok', content: 'Paris.' });
    expect(await runPrompt(task({ prompt: 'Capital?', check: rubric }), target(), judge(), deps(), signal())).toMatchObject({
      check: null,
      check_detail: 'not judged: the judge\u2019s reply had no score',
    });
  });

  it('turns a failed call into a result that says why', async () => {
    answerWith = () => ({ kind: 'error', status: 401, body: { error: { message: 'bad key' } } });
    const r = await runPrompt(task({ prompt: 'Hi', check: { type: 'contains', values: ['x'] } }), target(), null, deps(), signal());
    expect(r).toMatchObject({ ok: false, tokens_in: null, cost_usd: null, answer: '', check: null, model_answered: null, retries: 0 });
    expect(r!.error_code).toEqual(expect.any(String));
    expect(r!.error_message).toEqual(expect.any(String));
  });

  it('keeps the partial answer of a stream that broke, unchecked', async () => {
    answerWith = () => ({ kind: 'midstream_fail', afterChunks: 2, content: 'Paris is the capital of France and more text here' });
    const r = await runPrompt(task({ prompt: 'Hi', check: { type: 'contains', values: ['Paris'] } }), target(), null, deps(), signal());
    expect(r!.ok).toBe(false);
    expect(r!.error_message).toMatch(/^The stream broke after \d+ characters: /);
    expect(r!.content_length).toBeGreaterThan(0);
    expect(r!.check).toBeNull();
  });

  it('returns nothing for a cancelled call, so the slot stays open for a resume', async () => {
    answerWith = () => ({ kind: 'hang' });
    const abort = new AbortController();
    const pending = runPrompt(task({ prompt: 'Hi' }), target(), null, deps(), abort.signal);
    await eventually(() => chats().length > 0, 'the call to arrive');
    abort.abort();
    expect(await pending).toBeNull();
  });

  it('stores the answer cut to its bound', async () => {
    answerWith = () => ({ kind: 'ok', content: 'y'.repeat(STORED_ANSWER_CHARS + 10) });
    const r = await runPrompt(task({ prompt: 'Hi' }), target(), null, deps(), signal());
    expect(r!.answer).toHaveLength(STORED_ANSWER_CHARS);
    expect(r!.answer_truncated).toBe(true);
    expect(r!.content_length).toBe(STORED_ANSWER_CHARS + 10);
  });
});
