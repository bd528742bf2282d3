/**
 * One prompt against one endpoint: a streamed call (so time to first token is measured), the
 * prompt's check, and the judge's verdict for a rubric. Failures become results that say why;
 * a cancelled call becomes nothing, so the slot stays open for a resume.
 */
import type { Clock } from '../../core/clock.js';
import type { ChatMessage, LlmClient, Target } from '../../core/llm/llm-client.js';
import { AppError } from '../../core/errors/app-error.js';
import type { BoundedRegex } from './bounded-regex.js';
import { runCheck } from './checks.js';
import { JUDGE_PASS_SCORE, judgeRequest, readVerdict } from './judge.js';
import type { Task } from './run-plan.js';
import type { BatchResult } from './run-types.js';
import type { StoredAnswers } from './stored-answers.js';

export interface PromptRunDeps {
  llm: LlmClient;
  clock: Clock;
  regex: BoundedRegex;
  timeoutMs: number;
  temperature: number | null;
  answers: StoredAnswers;
}

export async function runPrompt(task: Task, target: Target, judge: Target | null, deps: PromptRunDeps, signal: AbortSignal): Promise<BatchResult | null> {
  const { prompt } = task;
  const messages: ChatMessage[] = prompt.system
    ? [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.prompt },
      ]
    : [{ role: 'user', content: prompt.prompt }];
  const started = deps.clock.now();
  const base = { suite_id: task.suite.id, prompt_id: prompt.id, endpoint: task.endpoint };
  try {
    const r = await deps.llm.chat(
      target,
      { messages, max_tokens: prompt.max_tokens, ...(deps.temperature !== null ? { temperature: deps.temperature } : {}) },
      { timeoutMs: deps.timeoutMs, signal, onDelta: ignore },
    );
    // The answer is in (and paid for): a cancel during the judge's call only leaves it unjudged.
    const checked = r.error ? null : await check(task, r.content, judge, deps, signal);
    const kept = deps.answers.keep(r.content);
    return {
      ...base,
      ok: r.error === null,
      error_code: r.error?.code ?? null,
      error_message: r.error ? `The stream broke after ${r.content.length} characters: ${r.error.message}` : null,
      latency_ms: r.attempt_ms,
      total_ms: r.latency_ms,
      ttft_ms: r.ttft_ms,
      tokens_in: r.usage.tokens_in,
      tokens_out: r.usage.tokens_out,
      cost_usd: r.cost_usd,
      content_length: r.content.length,
      answer: kept.answer,
      answer_truncated: kept.truncated,
      check: checked?.result ?? null,
      check_detail: checked?.detail ?? null,
      judge: checked?.judge ?? null,
      judge_cost_usd: checked?.judge_cost_usd ?? null,
      retries: r.retries,
      model_answered: r.model,
      finished_at: deps.clock.now(),
    };
  } catch (err) {
    if (signal.aborted) return null;
    const e = failure(err);
    return {
      ...base,
      ok: false,
      error_code: e.code,
      error_message: e.message,
      latency_ms: deps.clock.now() - started,
      total_ms: deps.clock.now() - started,
      ttft_ms: null,
      tokens_in: null,
      tokens_out: null,
      cost_usd: null,
      content_length: 0,
      answer: '',
      answer_truncated: false,
      check: null,
      check_detail: null,
      judge: null,
      judge_cost_usd: null,
      retries: 0,
      model_answered: null,
      finished_at: deps.clock.now(),
    };
  }
}

interface Checked {
  result: 'pass' | 'fail' | null;
  detail: string;
  judge?: { score: number; reason: string };
  judge_cost_usd?: number | null;
}

async function check(task: Task, answer: string, judge: Target | null, deps: PromptRunDeps, signal: AbortSignal): Promise<Checked | null> {
  if (!task.prompt.check) return null;
  const outcome = runCheck(task.prompt.check, answer, deps.regex);
  if (outcome.result !== 'judge') return outcome;
  if (!judge) return { result: null, detail: 'not judged: pick a judge model to score rubric checks' };
  try {
    const r = await deps.llm.chat(judge, judgeRequest(task.prompt.prompt, answer, outcome.rubric), { timeoutMs: deps.timeoutMs, signal });
    const verdict = readVerdict(r.content);
    if (!verdict) return { result: null, detail: 'not judged: the judge\u2019s reply had no score', judge_cost_usd: r.cost_usd };
    const pass = verdict.score >= JUDGE_PASS_SCORE;
    return {
      result: pass ? 'pass' : 'fail',
      detail: `judge ${judge.model}: ${verdict.score}/5${verdict.reason ? ` \u2014 ${verdict.reason}` : ''}`,
      judge: verdict,
      judge_cost_usd: r.cost_usd,
    };
  } catch (err) {
    return { result: null, detail: `not judged: ${failure(err).message}` };
  }
}

function ignore(): void {}

/** Typed errors keep their code and advice; anything else is a bug, reported without its internals. */
function failure(err: unknown): { code: string; message: string } {
  return err instanceof AppError ? err : { code: 'batch_call_failed', message: 'The call failed unexpectedly. Retry the failed prompts.' };
}
