// Short human-readable figures for the panels.
import type { SliceScore } from '../../../src/contract/index.js';

/** "1 h 02 min", "4 min 05 s", "12 s"; an em dash when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Dice as a percentage with one decimal ("81.9 %"), or an em dash. */
export function formatDice(dice: number | null | undefined): string {
  return dice === null || dice === undefined || !Number.isFinite(dice) ? '—' : `${(dice * 100).toFixed(1)} %`;
}

/** A date-time in the user's locale, compact. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // ISO order in local time (2026-11-27 09:46): unambiguous in every locale, and it sorts.
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/**
 * What the training panel says when a run has registered its model: its validation Dice against what the gate
 * compared it with (the parent's, on the same masks), and whether it became the active model (a rejected one is
 * offered below the message: TrainingPanel's RejectedOffer). `activeNow`: the active model now, once the model list
 * knows the run's model (undefined: as at the run's end) — another may have been activated since.
 */
export function trainedMessage({ modelId, valDice, baselineValDice, accepted }: TrainedRun, activeNow?: number | null): string {
  const against = baselineValDice === null ? '' : ` (its parent: ${formatDice(baselineValDice)} on the same masks)`;
  const scored = valDice === null
    ? `Model ${modelId} trained (no validation patients to score it on)`
    : `Model ${modelId} trained: validation Dice ${formatDice(valDice)}${against}`;
  const active = activeNow === undefined ? (accepted ? modelId : null) : activeNow;
  const since = active === null ? ' No model is active now.' : ` Model ${active} is active now.`;
  if (accepted) return active === modelId ? `${scored}, now active.` : `${scored}; it was made active.${since}`;
  if (active === modelId) return `${scored}: worse than its parent, activated anyway.`;
  return `${scored}: worse than its parent, so it was kept but not activated.`;
}

/** What a finished run's message needs: its model, scores and whether the gate accepted it. */
export interface TrainedRun {
  modelId: number;
  valDice: number | null;
  baselineValDice: number | null;
  accepted: boolean;
}


/**
 * "Dice 0.83 · BCE 0.041"; Dice "–" where neither prediction nor mask has a lesion (nothing to overlap); "…" while
 * the figures are being read (`loaded` false), "not predicted" for a slice the model has no prediction of.
 */
export function formatSliceScore(score: SliceScore | undefined, loaded = true): string {
  if (!loaded) return '…';
  if (!score) return 'not predicted';
  return `Dice ${score.dice === null ? '–' : score.dice.toFixed(2)} · BCE ${score.bce.toFixed(3)}`;
}
