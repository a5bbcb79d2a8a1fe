// Where a training run stands, measured against what actually ends it. A retrain is one long epoch that its time
// budget ends (BUDGETED_STEPS_PER_EPOCH steps are never reached), a run from scratch ends after its planned steps:
// the training panel and `brainseg train` both say it with these functions, so they say the same thing.
import type { TrainingProgress } from './models.js';
import { BUDGETED_STEPS_PER_EPOCH } from './training-presets.js';

/** A run's position against its end, from one progress event. */
export interface RunPosition {
  /** 0–1: the larger of the steps done out of all planned and the time spent out of the budget (what ends it first). */
  fraction: number;
  /** What ends the run at the pace so far: its planned steps, or its time budget. */
  endsBy: 'steps' | 'time';
  /** Steps done since the run started, earlier epochs included. */
  stepsDone: number;
  /** Every step the run plans; null when only its time budget can end it. */
  stepsPlanned: number | null;
  /** In words, the limit that ends the run first: "training · 1:05 of 2:00 min · step 173". */
  text: string;
}

/** Seconds as a clock, "1:05" (minutes:seconds), "62:00" past the hour: a budget reads like a kitchen timer. */
export function runClockText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The run's position in the last progress event; the bar's fraction and the status text both come from here. */
export function runPosition(p: TrainingProgress): RunPosition {
  const stepsPlanned = p.phase === 'loading' || p.steps <= 0 || p.steps >= BUDGETED_STEPS_PER_EPOCH ? null : p.epochs * p.steps;
  const stepsDone = p.phase === 'loading' ? 0 : Math.max(0, p.epoch - 1) * p.steps + p.step;
  const bySteps = stepsPlanned ? stepsDone / stepsPlanned : 0;
  const byTime = p.budgetSeconds !== null && p.budgetSeconds > 0 ? p.elapsedSeconds / p.budgetSeconds : 0;
  const endsBy = p.budgetSeconds !== null && (stepsPlanned === null || byTime >= bySteps) ? 'time' : 'steps';
  const time = p.budgetSeconds === null ? null : `${runClockText(p.elapsedSeconds)} of ${runClockText(p.budgetSeconds)} min`;
  const steps = p.phase === 'loading' ? null : `step ${stepsDone}${stepsPlanned ? ` of ${stepsPlanned}` : ''}`;
  const limits = (endsBy === 'time' ? [time, steps] : [steps, time]).filter((t): t is string => t !== null);
  const epoch = p.epochs > 1 && p.epoch > 0 ? [`epoch ${p.epoch}/${p.epochs}`] : [];
  return {
    fraction: Math.min(1, Math.max(0, bySteps, byTime)), endsBy, stepsDone, stepsPlanned,
    text: [phaseText(p), ...limits, ...epoch].join(' · '),
  };
}

function phaseText(p: TrainingProgress): string {
  if (p.phase === 'loading') return `loading patient ${Math.min(p.step + 1, p.steps)} of ${p.steps}`;
  if (p.phase === 'training') return 'training';
  return p.epoch === 0 ? 'validating the starting model' : `validating epoch ${p.epoch}`;
}

/** The validation results in words: "81.2 % before training → 82.0 % at step 173". */
export function validationText(p: Pick<TrainingProgress, 'validations'>, percent: (dice: number) => string): string {
  return p.validations.map((v) => `${percent(v.valDice)} ${v.step === 0 ? 'before training' : `at step ${v.step}`}`).join(' → ');
}
