// How far a model's stored predictions agree with the masks a user edited: what "retrain toward the edits" is
// judged by, the same in the test that proves it (retrain-toward-edits) and the benchmark that times it
// (bench/retrain-loop).
import type { CatalogDb } from '../catalog/db.js';
import { findPrediction } from '../catalog/predictions.js';
import { thresholdProbabilities } from '../editing/overlays.js';
import { dice, softDice, summarize } from '../ml/metrics.js';

/** An edited slice and its mask as the user left it (0/1, the slice's resolution). */
export interface EditedSlice {
  sliceId: number;
  mask: Uint8Array;
}

/**
 * Mean soft Dice of the model's probabilities with the edited masks (it moves with every step of learning, where
 * a thresholded Dice of a small network jumps), and the mean thresholded Dice at 0.5 for the record. Every slice
 * must have the model's prediction stored.
 */
export async function agreementWithEdits(db: CatalogDb, modelId: number, edited: readonly EditedSlice[]): Promise<{ soft: number; hard: number }> {
  const soft: number[] = [];
  const hard: number[] = [];
  for (const { sliceId, mask } of edited) {
    const prediction = await findPrediction(db, sliceId, modelId);
    if (!prediction) throw new Error(`model ${modelId} has no stored prediction of slice ${sliceId}: predict the patient first`);
    soft.push(softDice(prediction.probabilities, mask));
    hard.push(dice(thresholdProbabilities(prediction.probabilities, 0.5), mask));
  }
  return { soft: summarize(soft).mean, hard: summarize(hard).mean };
}
