/**
 * The shape of a batch-test suite: a list of prompts, each with an optional check on the answer.
 * The same schema validates the curated suites shipped in ./suites and suites that visitors upload,
 * so every field is bounded and unknown keys are rejected.
 */
import { z } from 'zod';
import { compileCheckRegex, RegexRefused } from './bounded-regex.js';

/** Most prompts one suite may hold (an uploaded one included). */
export const MAX_SUITE_PROMPTS = 1000;

const ID_PATTERN = /^[a-z0-9-]{1,64}$/;
const id = z.string().regex(ID_PATTERN, 'must be 1–64 characters of a–z, 0–9 and "-"');
/** 1–max characters, not all whitespace (one issue for an empty string, not two). */
const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, { message: 'must not be empty or only whitespace' });

/** Answer must contain one (or, with all: true, every) of the values; case-insensitive unless told. */
export const containsCheckSchema = z.strictObject({
  type: z.literal('contains'),
  values: z.array(nonBlank(200)).min(1).max(20),
  all: z.boolean().default(false),
  case_sensitive: z.boolean().default(false),
});

const REGEX_FLAGS = /^(?!.*(.).*\1)[imsu]{0,4}$/;

/**
 * Answer must match a regular expression, written in JavaScript syntax and run on RE2
 * (bounded-regex.ts): what RE2 cannot express is refused here, naming the construct. g and y
 * (they make RegExp.test stateful), d and v (no RE2 equivalent) are not allowed.
 */
export const regexCheckSchema = z
  .strictObject({
    type: z.literal('regex'),
    pattern: z.string().min(1).max(500),
    flags: z.string().regex(REGEX_FLAGS, 'flags may only be i, m, s and u, each at most once').default(''),
  })
  .superRefine((check, ctx) => {
    if (!REGEX_FLAGS.test(check.flags)) return; // reported on flags
    try {
      new RegExp(check.pattern, check.flags);
      compileCheckRegex(check.pattern, check.flags);
    } catch (err) {
      const refused = err instanceof RegexRefused;
      ctx.addIssue({
        code: 'custom',
        path: [refused ? err.field : 'pattern'],
        message: refused ? err.message : `not a valid JavaScript regular expression: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  });

/** Answer must be valid JSON: an object with (at least) these keys. */
export const jsonCheckSchema = z.strictObject({
  type: z.literal('json'),
  required_keys: z.array(nonBlank(100)).max(20).default([]),
});

/** A judge model scores the answer 1–5 against the rubric; 4 or more passes. */
export const judgeCheckSchema = z.strictObject({
  type: z.literal('judge'),
  rubric: z.string().min(10).max(1000),
});

export const promptCheckSchema = z.discriminatedUnion('type', [containsCheckSchema, regexCheckSchema, jsonCheckSchema, judgeCheckSchema]);

export const suitePromptSchema = z.strictObject({
  id,
  category: nonBlank(60),
  system: z.string().max(4000).optional(),
  prompt: nonBlank(8000),
  max_tokens: z.number().int().min(1).max(4096).default(512),
  check: promptCheckSchema.optional(),
});

export const suiteSchema = z
  .strictObject({
    id,
    name: nonBlank(80),
    // 'custom' marks a visitor's uploaded suite.
    domain: z.enum(['support', 'code', 'factual', 'creative', 'custom']),
    difficulty: z.enum(['easy', 'medium', 'custom']),
    description: z.string().max(300).default(''),
    prompts: z.array(suitePromptSchema).min(1).max(MAX_SUITE_PROMPTS),
  })
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    suite.prompts.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['prompts', i, 'id'], message: `duplicate prompt id "${p.id}"` });
      seen.add(p.id);
    });
  });

export type Suite = z.infer<typeof suiteSchema>;
/** What a suite file may contain before defaults are filled in (e.g. max_tokens may be missing). */
export type SuiteInput = z.input<typeof suiteSchema>;
export type SuitePrompt = z.infer<typeof suitePromptSchema>;
export type PromptCheck = z.infer<typeof promptCheckSchema>;
export type SuiteDomain = Suite['domain'];
export type SuiteDifficulty = Suite['difficulty'];
