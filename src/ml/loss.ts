import type { DiceOver } from './config.js';
import { tf } from './tf.js';

/**
 * 1 − soft Dice, smooth `smooth`: summed over `axes` (all of them when absent: one Dice for the whole batch), then
 * the Dice of each part averaged.
 */
function diceLoss(predicted: tf.Tensor, target: tf.Tensor, smooth: number, axes?: number[]): tf.Scalar {
  return tf.tidy(() => {
    const intersection = tf.sum(tf.mul(predicted, target), axes);
    const denominator = tf.add(tf.sum(predicted, axes), tf.sum(target, axes));
    return tf.sub(1, tf.mean(tf.div(tf.add(tf.mul(2, intersection), smooth), tf.add(denominator, smooth)))) as tf.Scalar;
  });
}

/** Soft Dice loss over the whole batch, smooth 1 (brain-segmentation-pytorch's DiceLoss). */
export function softDiceLoss(predicted: tf.Tensor, target: tf.Tensor, smooth = 1): tf.Scalar {
  return diceLoss(predicted, target, smooth);
}

/** Binary cross-entropy of probabilities, clipped away from 0 and 1 so the log stays finite. */
export function binaryCrossEntropy(predicted: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(predicted, 1e-7, 1 - 1e-7);
    const perPixel = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(perPixel)) as tf.Scalar;
  });
}

/**
 * Soft Dice of each slice of a [batch, h, w, 1] pair, averaged: a small lesion weighs as much as a large one, as
 * in a per-slice Dice score (the click curve's), where the batch's Dice is dominated by its largest lesion.
 */
export function perSliceDiceLoss(predicted: tf.Tensor, target: tf.Tensor, smooth = 1): tf.Scalar {
  return diceLoss(predicted, target, smooth, [1, 2, 3]);
}

/**
 * The interactive model's penalty for undoing what its prompt had right: for each slice, the soft count of pixels the
 * prompt mask had right that the prediction gets wrong (|p − truth| where prompt = truth), over the slice's lesion
 * and prompt sizes (the prompt's Dice denominator, smooth 1), averaged over the batch. On about the Dice's scale (a
 * wrong pixel moves a slice's Dice by about 1 / that sum), so with weight W such a pixel costs roughly 1 + W times
 * what any other error costs. Why: a click that flips pixels its prompt had right can leave a slice below its prompt
 * (issue #29's "never below the proposal"); the Dice alone weighs those flips like the misses the click is there to
 * fix.
 */
export function keptPixelsLoss(predicted: tf.Tensor, target: tf.Tensor, prompt: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const hadRight = tf.sub(1, tf.abs(tf.sub(prompt, target)));
    const undone = tf.sum(tf.mul(hadRight, tf.abs(tf.sub(predicted, target))), [1, 2, 3]);
    const size = tf.add(tf.add(tf.sum(target, [1, 2, 3]), tf.sum(prompt, [1, 2, 3])), 1);
    return tf.mean(tf.div(undone, size)) as tf.Scalar;
  });
}

/** Soft Dice, plus `bceWeight` × binary cross-entropy when asked for. */
export function segmentationLoss(predicted: tf.Tensor, target: tf.Tensor, bceWeight: number, diceOver: DiceOver = 'batch'): tf.Scalar {
  return tf.tidy(() => {
    const dice = diceOver === 'slice' ? perSliceDiceLoss(predicted, target) : softDiceLoss(predicted, target);
    return bceWeight > 0 ? (tf.add(dice, tf.mul(bceWeight, binaryCrossEntropy(predicted, target))) as tf.Scalar) : dice;
  });
}
