import { dice } from './metrics.js';

/** What `brainseg eval` reports per patient beyond its per-volume Dice. */
export interface PatientScores {
  /** Per-volume Dice: every slice stacked (Buda et al.'s figure). */
  dice: number;
  slices: number;
  /** Slices whose true mask has a lesion, and the mean Dice over just those slices. */
  lesionSlices: number;
  lesionSliceDice: number | null;
  /** Lesion-free slices (true mask empty) on which the model still predicted something: false alarms. */
  lesionFreeSlices: number;
  falsePositiveSlices: number;
  /** Lesion size in pixels, true and predicted, and the relative error (predicted − true) / true. */
  truePixels: number;
  predictedPixels: number;
  volumeError: number | null;
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

/** Scores one patient's binarised predictions against its masks, slice by slice and as a volume. */
export function scorePatient(predicted: readonly Uint8Array[], truth: readonly Uint8Array[]): PatientScores {
  if (predicted.length !== truth.length) throw new Error('scorePatient: prediction and truth differ in slice count');
  const size = truth.reduce((n, t) => n + t.length, 0);
  const stackedPrediction = new Uint8Array(size);
  const stackedTruth = new Uint8Array(size);
  let offset = 0;
  const lesionDice: number[] = [];
  let lesionFreeSlices = 0;
  let falsePositiveSlices = 0;
  let truePixels = 0;
  let predictedPixels = 0;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    stackedPrediction.set(p, offset);
    stackedTruth.set(t, offset);
    offset += t.length;
    const trueCount = count(t);
    const predictedCount = count(p);
    truePixels += trueCount;
    predictedPixels += predictedCount;
    if (trueCount > 0) lesionDice.push(dice(p, t));
    else {
      lesionFreeSlices++;
      if (predictedCount > 0) falsePositiveSlices++;
    }
  });
  return {
    dice: dice(stackedPrediction, stackedTruth),
    slices: truth.length,
    lesionSlices: lesionDice.length,
    lesionSliceDice: lesionDice.length ? lesionDice.reduce((a, b) => a + b, 0) / lesionDice.length : null,
    lesionFreeSlices,
    falsePositiveSlices,
    truePixels,
    predictedPixels,
    volumeError: truePixels > 0 ? (predictedPixels - truePixels) / truePixels : null,
  };
}
