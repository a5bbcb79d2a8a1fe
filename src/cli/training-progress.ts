import { runPosition } from '../contract/index.js';
import type { TrainingProgress } from '../ml/jobs.js';

/** Formats seconds as `42 s`, `12 min`, `1 h 05 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * One status line for a training run: where it stands against what ends it (the training panel's words, from
 * runPosition), the share done, loss, the last validation's Dice, speed and time left.
 */
export function formatTrainingProgress(p: TrainingProgress): string {
  const position = runPosition(p);
  const parts = [position.text, `${Math.floor(position.fraction * 100)} %`];
  if (p.loss !== null) parts.push(`loss ${p.loss.toFixed(4)}`);
  const validated = p.validations[p.validations.length - 1];
  if (validated) parts.push(`val Dice ${validated.valDice.toFixed(3)}${validated.step === 0 ? ' (before training)' : ''}`);
  if (p.slicesPerSecond !== null) parts.push(`${p.slicesPerSecond.toFixed(2)} slices/s`);
  if (p.etaSeconds !== null) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join('  ');
}
