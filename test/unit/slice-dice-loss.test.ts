import { describe, expect, it } from 'vitest';
import { perSliceDiceLoss, segmentationLoss, softDiceLoss } from '../../src/ml/loss.js';
import { tf } from '../../src/ml/tf.js';

/** Two 16² slices: a large lesion predicted exactly, and a 2×2 lesion missed entirely. */
function largeHitSmallMissed(): { predicted: tf.Tensor; target: tf.Tensor } {
  const size = 16;
  const target = new Float32Array(2 * size * size);
  const predicted = new Float32Array(2 * size * size);
  for (let y = 2; y < 14; y++) for (let x = 2; x < 14; x++) target[y * size + x] = predicted[y * size + x] = 1;
  for (let y = 7; y < 9; y++) for (let x = 7; x < 9; x++) target[size * size + y * size + x] = 1;
  return { predicted: tf.tensor4d(predicted, [2, size, size, 1]), target: tf.tensor4d(target, [2, size, size, 1]) };
}

describe('per-slice Dice loss', () => {
  it('weighs a missed small lesion as much as a found large one, where the batch Dice barely sees it', () => {
    const before = tf.memory().numTensors;
    const { predicted, target } = largeHitSmallMissed();
    const batch = softDiceLoss(predicted, target);
    const perSlice = perSliceDiceLoss(predicted, target);
    // Batch: 1 − (2·144 + 1)/(144 + 148 + 1) ≈ 0.014. Per slice: (0 + (1 − 1/5)) / 2 = 0.4 (smooth 1 keeps the hit at 0).
    expect(batch.dataSync()[0]).toBeCloseTo(1 - 289 / 293, 5);
    expect(perSlice.dataSync()[0]).toBeCloseTo(0.4, 5);
    const withBce = segmentationLoss(predicted, target, 1, 'slice');
    expect(withBce.dataSync()[0]).toBeGreaterThan(0.4);
    tf.dispose([predicted, target, batch, perSlice, withBce]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is the batch Dice for a batch of one slice', () => {
    const { predicted, target } = largeHitSmallMissed();
    const one = tf.tidy(() => [perSliceDiceLoss(predicted.slice(1, 1), target.slice(1, 1)), softDiceLoss(predicted.slice(1, 1), target.slice(1, 1))]);
    expect(one[0]!.dataSync()[0]).toBeCloseTo(one[1]!.dataSync()[0]!, 6);
    tf.dispose([predicted, target, ...one]);
  });
});
