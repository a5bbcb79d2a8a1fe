import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { mirrorSlices, predictSlices, predictVolume } from '../../src/ml/predict.js';
import type { PreparedVolume } from '../../src/ml/dataset.js';
import { buildUNet, foldedCopy } from '../../src/ml/unet.js';
import { INPUT_CHANNELS } from '../../src/ml/config.js';

function seeded(n: number, seed: number, scale = 1, shift = 0): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale + shift;
  });
}

const shape = { features: 4, inputSize: 32 };

/** A U-Net whose batch-norm layers hold non-trivial statistics, as after training (fresh ones are 0/1). */
function trainedLikeUNet(): tf.LayersModel {
  const model = buildUNet(shape, 3);
  const values = model.weights.map((w, i) => {
    // Names gain a suffix when a model of the same name was built before (enc1_norm1/gamma_1).
    const name = /\/(gamma|beta|moving_mean|moving_variance)(_\d+)?$/.exec(w.name)?.[1];
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    if (name === 'gamma') return tf.tensor(seeded(n, i, 0.8, 1), shape);
    if (name === 'beta' || name === 'moving_mean') return tf.tensor(seeded(n, i, 0.6), shape);
    if (name === 'moving_variance') return tf.tensor(seeded(n, i, 0.8, 1), shape);
    return w.read().clone();
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

describe('inference U-Net with batch norm folded into the convolutions', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(['wasm', 'cpu'])('predicts what the trained network predicts (%s)', async (backend) => {
    await tf.setBackend(backend);
    const model = trainedLikeUNet();
    const folded = foldedCopy(model, shape);
    expect(folded.layers.some((l) => l.name.includes('_norm'))).toBe(false);
    expect(folded.countParams()).toBeLessThan(model.countParams()); // bias per conv instead of four BN vectors
    const count = 3;
    const images = seeded(count * shape.inputSize ** 2 * INPUT_CHANNELS, 9, 3);
    const expected = predictSlices(model, images, count, shape.inputSize);
    const actual = predictSlices(folded, images, count, shape.inputSize);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i]! - actual[i]!));
    expect(worst).toBeLessThan(1e-5);
    // The statistics matter: folding fresh 0/1 statistics instead would change the output.
    const naive = foldedCopy(buildUNet(shape, 3), shape);
    const naiveOutput = predictSlices(naive, images, count, shape.inputSize);
    const different = naiveOutput.some((v, i) => Math.abs(v - expected[i]!) > 1e-3);
    expect(different).toBe(true);
    for (const m of [model, folded, naive]) m.dispose();
  });

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const model = trainedLikeUNet();
    foldedCopy(model, shape).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) foldedCopy(model, shape).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('flip test-time augmentation: the prediction of a mirrored slice is the mirror of the prediction, and differs from a single pass', async () => {
    await tf.setBackend('wasm');
    const model = trainedLikeUNet();
    const count = 2;
    const size = shape.inputSize;
    const images = seeded(count * size * size * INPUT_CHANNELS, 7);
    expect(mirrorSlices(mirrorSlices(images, count, size, INPUT_CHANNELS), count, size, INPUT_CHANNELS)).toEqual(images);
    const volume = (pixels: Float32Array) => ({ size, images: pixels, patient: { slices: Array.from({ length: count }) } }) as unknown as PreparedVolume;
    const before = tf.memory().numTensors;
    const averaged = await predictVolume(model, volume(images), null, { testTimeFlip: true });
    const ofMirror = await predictVolume(model, volume(mirrorSlices(images, count, size, INPUT_CHANNELS)), null, { testTimeFlip: true });
    expect(tf.memory().numTensors).toBe(before);
    const mirroredBack = mirrorSlices(ofMirror, count, size, 1);
    let worst = 0;
    for (let i = 0; i < averaged.length; i++) worst = Math.max(worst, Math.abs(averaged[i]! - mirroredBack[i]!));
    expect(worst).toBeLessThan(1e-5);
    // A plain U-Net is not mirror-symmetric: one pass differs from the average somewhere.
    const single = await predictVolume(model, volume(images), null);
    expect(single.some((v, i) => Math.abs(v - averaged[i]!) > 1e-3)).toBe(true);
    model.dispose();
  });
});
