// Per-slice figures of a stored prediction against the current mask (issue #31 item 15): what the lightbox and the
// "Fix next" panel print under each slice, so a number and a mask can be related at a glance.

/** One slice's Dice and binary cross-entropy of the model's prediction against its mask. */
export interface SliceMetrics {
  /** Dice of the prediction thresholded at p ≥ 0.5 (stored ≥ 128) against the mask; null when both are empty. */
  dice: number | null;
  /** Mean binary cross-entropy over the slice's pixels, in nats (the training loss's BCE term). */
  bce: number;
  /** Foreground pixels of the thresholded prediction, of the mask, and of both (a volume's Dice sums these). */
  predictedPixels: number;
  maskPixels: number;
  overlapPixels: number;
}

/**
 * Stored probabilities are 8-bit (round(p·255)), so a stored 0 means p < 0.5/255, not p = 0: the cross-entropy
 * clamps p to half a step from 0 and 1, which keeps one wrong certain pixel finite (−ln(0.5/255) ≈ 6.2).
 */
export const BCE_FLOOR = 0.5 / 255;

// −ln(p) and −ln(1−p) for every stored byte, computed once.
const LOSS_IF_LESION = Float64Array.from({ length: 256 }, (_, v) => -Math.log(Math.min(1 - BCE_FLOOR, Math.max(BCE_FLOOR, v / 255))));
const LOSS_IF_CLEAR = Float64Array.from({ length: 256 }, (_, v) => -Math.log(1 - Math.min(1 - BCE_FLOOR, Math.max(BCE_FLOOR, v / 255))));

/** Scores one slice: `probabilities` 0–255 as stored, `mask` 0/1 (any non-zero is lesion), the same size. */
export function sliceMetrics(probabilities: Uint8Array, mask: Uint8Array): SliceMetrics {
  if (probabilities.length !== mask.length) throw new Error('sliceMetrics: prediction and mask differ in size');
  if (mask.length === 0) throw new Error('sliceMetrics: an empty slice');
  let both = 0;
  let predictedPixels = 0;
  let maskPixels = 0;
  let loss = 0;
  for (let i = 0; i < mask.length; i++) {
    const p = probabilities[i]!;
    const lesion = mask[i] !== 0;
    const predicted = p >= 128;
    if (predicted) predictedPixels++;
    if (lesion) maskPixels++;
    if (predicted && lesion) both++;
    loss += lesion ? LOSS_IF_LESION[p]! : LOSS_IF_CLEAR[p]!;
  }
  return {
    dice: predictedPixels + maskPixels === 0 ? null : (2 * both) / (predictedPixels + maskPixels),
    bce: loss / mask.length,
    predictedPixels,
    maskPixels,
    overlapPixels: both,
  };
}
