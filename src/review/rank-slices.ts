import type { SliceReview } from '../contract/index.js';
import { probabilityCut } from '../editing/overlays.js';

// "What to fix next": ranks a patient's slices by how much the model disagrees with the current mask and how
// unsure it is. Both are cheap per-pixel sums over stored 8-bit probabilities.

export type { SliceReview };

/** Scores one slice from its mask (0/1) and the model's 8-bit probabilities. */
export function reviewSlice(sliceId: number, mask: Uint8Array, probabilities: Uint8Array, threshold = 0.5): SliceReview {
  if (mask.length !== probabilities.length) throw new Error(`slice ${sliceId}: mask and prediction sizes differ`);
  const cut = probabilityCut(threshold);
  let disagreement = 0;
  let uncertainty = 0;
  for (let i = 0; i < mask.length; i++) {
    const p = probabilities[i]!;
    if ((p >= cut ? 1 : 0) !== (mask[i] ? 1 : 0)) disagreement++;
    if (p > 0 && p < 255) {
      const q = p / 255;
      uncertainty += 4 * q * (1 - q);
    }
  }
  uncertainty = Math.round(uncertainty);
  return { sliceId, disagreement, uncertainty, score: disagreement + uncertainty / 2 };
}

/** Slices worth a look, most worth first; slices where the model and the mask agree with certainty are left out. */
export function rankSlices(reviews: readonly SliceReview[]): SliceReview[] {
  return reviews.filter((r) => r.score >= 1).sort((a, b) => b.score - a.score || a.sliceId - b.sliceId);
}
