/**
 * Step 1 of a cycle after the scientist added input (notes, own hypotheses): the same safety
 * screen as the goal's, one call for all of it. Refused input never reaches a prompt: its notes
 * are marked refused and its hypotheses never compete. The rest of the cycle goes on.
 */
import { MAX_TOKENS } from '../call-plan.js';
import { screenInputPrompt } from '../prompts/screen.js';
import type { ResearchRun } from '../run-types.js';
import { screenAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';

/** The scientist's input a cycle screens: its notes and the own hypotheses made for it. */
export function inputFor(run: Readonly<ResearchRun>, cycle: number) {
  return {
    notes: run.notes.filter((n) => n.cycle === cycle && n.refused === undefined),
    hypotheses: run.hypotheses.filter((h) => h.origin === 'scientist' && h.cycle === cycle && h.refused === null),
  };
}

/** Whether the scientist added input for this cycle (its plan then has one screen call for it). */
export function hasInput(run: Readonly<ResearchRun>, cycle: number): boolean {
  const input = inputFor(run, cycle);
  return input.notes.length > 0 || input.hypotheses.length > 0;
}

/** Notes a cycle's prompts read: its own, unless the screen refused them. */
export function notesFor(run: Readonly<ResearchRun>, cycle: number): string[] {
  return run.notes.filter((n) => n.cycle === cycle && n.refused === undefined).map((n) => n.text);
}

export async function screenInput(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const input = inputFor(run, ctx.cycle);
  if (input.notes.length === 0 && input.hypotheses.length === 0) return;
  ctx.progress('screen_input', 0, 1, 'Screening your notes and hypotheses');
  const answer = await ctx.ask(
    screenInputPrompt(
      run.goal,
      input.notes.map((n) => n.text),
      input.hypotheses,
    ),
    screenAnswer,
    { temperature: run.settings.temperatures.screen, maxTokens: MAX_TOKENS.screen },
  );
  if (!answer.allowed) {
    const ids = new Set(input.hypotheses.map((h) => h.id));
    ctx.update((r) => {
      for (const n of r.notes) if (n.cycle === ctx.cycle && n.refused === undefined) n.refused = answer.reason;
      for (const h of r.hypotheses) if (ids.has(h.id)) h.refused = answer.reason;
    });
    ctx.emit('input_refused', { reason: answer.reason, notes: input.notes.length, hypotheses: [...ids] });
  }
  ctx.progress('screen_input', 1, 1, answer.allowed ? 'Your input passed the screen' : 'Your input was declined');
}
