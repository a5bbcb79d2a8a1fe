/**
 * The learning rate over a run. `cosine` decays from the configured rate to a twentieth of it along a half cosine,
 * driven by whichever is further along: the steps done out of all planned, or the time spent out of the budget.
 * With `--minutes`, the decay therefore finishes when the budget does, however fast the machine is; large steps
 * early and small ones at the end gave a better validation Dice than a constant rate (README, "The recipe").
 */
export type LearningRateSchedule = 'constant' | 'cosine';

export const LR_SCHEDULES: readonly LearningRateSchedule[] = ['constant', 'cosine'];

/** The floor of the cosine schedule, as a fraction of the starting rate. */
const COSINE_FLOOR = 0.05;

/** `progress` in [0, 1]: the share of the run done. */
export function scheduledLearningRate(schedule: LearningRateSchedule, baseRate: number, progress: number): number {
  if (schedule === 'constant') return baseRate;
  const t = Math.min(1, Math.max(0, progress));
  const floor = baseRate * COSINE_FLOOR;
  return floor + (baseRate - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** The share of a run done: steps out of all planned steps, or time out of the budget, whichever is larger. */
export function runProgress(stepsDone: number, stepsPlanned: number, elapsedMs: number, budgetMs: number): number {
  const bySteps = stepsPlanned > 0 ? stepsDone / stepsPlanned : 0;
  const byTime = Number.isFinite(budgetMs) && budgetMs > 0 ? elapsedMs / budgetMs : 0;
  return Math.min(1, Math.max(bySteps, byTime));
}
