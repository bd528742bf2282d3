/** What a step may do: ask the model (metered), change the run, and tell the page. */
import type { z } from 'zod';
import type { ChatMessage } from '../../core/llm/llm-client.js';
import type { CycleLiterature } from './cycle-literature.js';
import type { ResearchRun } from './run-types.js';

export interface StepContext {
  /** The run as it is now (re-read after every change). */
  run(): Readonly<ResearchRun>;
  cycle: number;
  signal: AbortSignal;
  /** One model call answered as JSON and validated (one repair at most), counted in the run's usage. */
  ask<S extends z.ZodType>(messages: ChatMessage[], schema: S, opts: { temperature: number; maxTokens: number }): Promise<z.infer<S>>;
  /** One model call answered in prose. */
  askText(messages: ChatMessage[], opts: { temperature: number; maxTokens: number }): Promise<string>;
  /** Changes the run in the store (synchronously). */
  update(fn: (run: ResearchRun) => void): void;
  /** A live event on research:<id>. */
  emit(kind: string, payload: Record<string, unknown>): void;
  progress(step: string, done: number, total: number, message?: string): void;
  /** Calls at most a few at once; results in input order. The first failure stops the others. */
  parallel<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
  newId(prefix: string): string;
  /** A number in [0, 1): which of two hypotheses the judge sees first (tests give their own). */
  random(): number;
  /** Searches and reference checks within the cycle's lookup budget; null with literature off. */
  literature: CycleLiterature | null;
}
