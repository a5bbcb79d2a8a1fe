import { runPosition, type TrainingProgress } from '../../../src/contract/index.js';

/**
 * What the training panel plots: the loss at each reported step, and every validation where it happened (the
 * starting model's before step 0 included), as the last event lists them.
 */
export interface TrainingHistory {
  loss: { x: number; y: number }[];
  valDice: { x: number; y: number }[];
  last: TrainingProgress | null;
}

export const EMPTY_HISTORY: TrainingHistory = { loss: [], valDice: [], last: null };

/** Folds one progress event into the history: x is the run's step (runPosition), so epochs line up on one axis. */
export function addProgress(history: TrainingHistory, p: TrainingProgress): TrainingHistory {
  const x = runPosition(p).stepsDone;
  const loss = p.phase === 'training' && p.loss !== null && Number.isFinite(p.loss) ? [...history.loss, { x, y: p.loss }] : history.loss;
  const valDice = p.validations.map((v) => ({ x: v.step, y: v.valDice }));
  return { loss, valDice, last: p };
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
