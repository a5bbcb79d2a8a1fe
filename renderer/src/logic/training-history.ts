import type { TrainingProgress } from '../../../src/contract/index.js';

/** What the training panel plots: the loss at each reported step and the validation Dice after each epoch. */
export interface TrainingHistory {
  loss: { x: number; y: number }[];
  valDice: { x: number; y: number }[];
  last: TrainingProgress | null;
}

export const EMPTY_HISTORY: TrainingHistory = { loss: [], valDice: [], last: null };

/** The run's position in steps since it started, so epochs line up on one axis. */
export function globalStep(p: TrainingProgress): number {
  return Math.max(0, p.epoch - 1) * p.steps + p.step;
}

/**
 * Folds one progress event into the history. The trainer reports each epoch's validation Dice at the epoch's
 * last step (earlier reports carry the best Dice so far), so the last report at an epoch's end is its Dice point.
 */
export function addProgress(history: TrainingHistory, p: TrainingProgress): TrainingHistory {
  const x = globalStep(p);
  const loss = p.phase === 'training' && p.loss !== null && Number.isFinite(p.loss) ? [...history.loss, { x, y: p.loss }] : history.loss;
  let valDice = history.valDice;
  if (p.steps > 0 && p.step === p.steps && p.valDice !== null && Number.isFinite(p.valDice)) {
    const previous = valDice[valDice.length - 1];
    valDice = previous?.x === x ? [...valDice.slice(0, -1), { x, y: p.valDice }] : [...valDice, { x, y: p.valDice }];
  }
  return { loss, valDice, last: p };
}

/** The fraction of the run done, 0–1. */
export function runFraction(p: TrainingProgress | null): number {
  if (!p || p.epochs === 0 || p.steps === 0) return 0;
  return Math.max(0, Math.min(1, globalStep(p) / (p.epochs * p.steps)));
}

/** An SVG polyline's points for a series scaled into a width×height box (y from `min` to `max`, up is larger). */
export function polylinePoints(series: { x: number; y: number }[], xMax: number, width: number, height: number, min: number, max: number): string {
  const span = max - min || 1;
  return series
    .map(({ x, y }) => {
      const px = xMax > 0 ? (x / xMax) * width : 0;
      const py = height - ((Math.max(min, Math.min(max, y)) - min) / span) * height;
      return `${px.toFixed(1)},${py.toFixed(1)}`;
    })
    .join(' ');
}
