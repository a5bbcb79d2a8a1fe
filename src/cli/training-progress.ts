import type { TrainingProgress } from '../ml/jobs.js';

/** Formats seconds as `42 s`, `12 min`, `1 h 05 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** One status line for a training run: phase, epoch/step, loss, validation Dice, speed and time left. */
export function formatTrainingProgress(p: TrainingProgress): string {
  if (p.phase === 'loading') return `loading slices: patient ${p.step + 1}/${p.steps}`;
  const parts = [p.phase === 'validating' ? `epoch ${p.epoch}/${p.epochs} validating…` : `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps}`];
  if (p.loss !== null) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p.valDice !== null) parts.push(`val Dice ${p.valDice.toFixed(3)}`);
  if (p.slicesPerSecond !== null) parts.push(`${p.slicesPerSecond.toFixed(2)} slices/s`);
  if (p.etaSeconds !== null) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join('  ');
}
