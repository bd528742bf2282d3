/** What every step's prompt starts from: the run's goal and its research plan. */
import type { ResearchRun } from '../run-types.js';

export const brief = (run: Readonly<ResearchRun>) => ({ goal: run.goal, plan: run.plan });
