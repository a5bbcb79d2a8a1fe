import { LR_SCHEDULE_NAMES, type LearningRateSchedule } from '../contract/training-presets.js';

/**
 * The learning rate over a run. `cosine` decays from the configured rate to a twentieth of it along a half cosine,
 * driven by whichever is further along: the steps done out of all planned, or the time spent out of the budget.
 * With `--minutes`, the decay therefore finishes when the budget does, however fast the machine is; large steps
 * early and small ones at the end gave a better validation Dice than a constant rate (README, "The recipe").
 * `one-cycle` is PyTorch's OneCycleLR with its defaults, as the R torch blog post's `lr_one_cycle` uses them: the
 * rate rises from a 25th of the configured (peak) rate to the peak over the first 30 % of the run along a half
 * cosine, then falls along a half cosine to a 10,000th of where it started.
 */
export type { LearningRateSchedule };

export const LR_SCHEDULES: readonly LearningRateSchedule[] = LR_SCHEDULE_NAMES;

/** The floor of the cosine schedule, as a fraction of the starting rate. */
const COSINE_FLOOR = 0.05;

/** OneCycleLR's defaults: pct_start, div_factor, final_div_factor. */
export const ONE_CYCLE = { warmupShare: 0.3, startDivisor: 25, finalDivisor: 1e4 } as const;

/** `progress` in [0, 1]: the share of the run done. */
export function scheduledLearningRate(schedule: LearningRateSchedule, baseRate: number, progress: number): number {
  if (schedule === 'constant') return baseRate;
  const t = Math.min(1, Math.max(0, progress));
  if (schedule === 'one-cycle') return oneCycleRate(baseRate, t);
  const floor = baseRate * COSINE_FLOOR;
  return floor + (baseRate - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** The share of a run done: steps out of all planned steps, or time out of the budget, whichever is larger. */
export function runProgress(stepsDone: number, stepsPlanned: number, elapsedMs: number, budgetMs: number): number {
  const bySteps = stepsPlanned > 0 ? stepsDone / stepsPlanned : 0;
  const byTime = Number.isFinite(budgetMs) && budgetMs > 0 ? elapsedMs / budgetMs : 0;
  return Math.min(1, Math.max(bySteps, byTime));
}

/** Half-cosine from `from` (at 0) to `to` (at 1). */
function cosineBetween(from: number, to: number, t: number): number {
  return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * t));
}

function oneCycleRate(peak: number, t: number): number {
  const start = peak / ONE_CYCLE.startDivisor;
  if (t < ONE_CYCLE.warmupShare) return cosineBetween(start, peak, t / ONE_CYCLE.warmupShare);
  return cosineBetween(peak, start / ONE_CYCLE.finalDivisor, (t - ONE_CYCLE.warmupShare) / (1 - ONE_CYCLE.warmupShare));
}
