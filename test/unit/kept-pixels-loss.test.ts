// The interactive model's penalty for undoing what its prompt had right (issue #29: a click should not leave a
// slice below its proposal): only pixels the prompt had right count, on the Dice's scale, per slice.
import { describe, expect, it } from 'vitest';
import { keptPixelsLoss, segmentationLoss } from '../../src/ml/loss.js';
import { tf } from '../../src/ml/tf.js';
import { assembleInput, INTERACTIVE_CHANNELS } from '../../src/ml/interactive/encoding.js';
import { interactiveStep } from '../../src/ml/interactive/model.js';
import { buildUNet } from '../../src/ml/unet.js';

const SIZE = 16;
const PLANE = SIZE * SIZE;

/** A 4×4 lesion at (4…7, 4…7); the prompt misses its 2×2 corner at (6…7, 6…7): 12 of its 16 pixels. */
function lesionAndPrompt(): { truth: Float32Array; prompt: Float32Array } {
  const truth = new Float32Array(PLANE);
  const prompt = new Float32Array(PLANE);
  for (let y = 4; y < 8; y++) for (let x = 4; x < 8; x++) {
    truth[y * SIZE + x] = 1;
    prompt[y * SIZE + x] = y >= 6 && x >= 6 ? 0 : 1;
  }
  return { truth, prompt };
}

const loss = (predicted: Float32Array, truth: Float32Array, prompt: Float32Array) => tf.tidy(() =>
  keptPixelsLoss(tf.tensor4d(predicted, [1, SIZE, SIZE, 1]), tf.tensor4d(truth, [1, SIZE, SIZE, 1]), tf.tensor4d(prompt, [1, SIZE, SIZE, 1])).dataSync()[0]!);

describe('kept-pixels loss', () => {
  it('counts the pixels the prompt had right and the prediction gets wrong, over the lesion and prompt sizes', () => {
    const before = tf.memory().numTensors;
    const { truth, prompt } = lesionAndPrompt();
    expect(loss(truth, truth, prompt)).toBe(0);
    // Leaving the prompt's own miss as it was costs nothing here: the Dice sees that error.
    expect(loss(prompt, truth, prompt)).toBe(0);
    // The miss fixed, but 3 lesion pixels the prompt had dropped and 2 background pixels added: 5 / (16 + 12 + 1).
    const fixedAndUndone = truth.slice();
    fixedAndUndone[4 * SIZE + 4] = fixedAndUndone[4 * SIZE + 5] = fixedAndUndone[5 * SIZE + 4] = 0;
    fixedAndUndone[12 * SIZE + 12] = fixedAndUndone[0] = 1;
    expect(loss(fixedAndUndone, truth, prompt)).toBeCloseTo(5 / 29, 6);
    // Soft: a probability of 0.5 on one background pixel is half an error.
    const unsure = truth.slice();
    unsure[15 * SIZE + 15] = 0.5;
    expect(loss(unsure, truth, prompt)).toBeCloseTo(0.5 / 29, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is taken per slice and averaged over the batch', () => {
    const { truth, prompt } = lesionAndPrompt();
    const wrongOnce = truth.slice();
    wrongOnce[0] = 1;
    const batch = (a: Float32Array, b: Float32Array) => new Float32Array([...a, ...b]);
    const value = tf.tidy(() => keptPixelsLoss(
      tf.tensor4d(batch(wrongOnce, truth), [2, SIZE, SIZE, 1]), tf.tensor4d(batch(truth, truth), [2, SIZE, SIZE, 1]),
      tf.tensor4d(batch(prompt, prompt), [2, SIZE, SIZE, 1])).dataSync()[0]!);
    expect(value).toBeCloseTo((1 / 29) / 2, 6);
  });

  it('is added to the training step with its weight, reading the prompt from the input\'s mask channel', () => {
    const { truth, prompt } = lesionAndPrompt();
    const model = buildUNet({ features: 4, inputSize: SIZE, inputChannels: INTERACTIVE_CHANNELS });
    const optimizer = tf.train.sgd(0); // a step that leaves the weights as they are: both losses see the same network
    const image = new Float32Array(PLANE * 3).map((_, i) => ((i * 7919) % 101) / 101);
    const xs = assembleInput(image, [{ x: 7, y: 7, positive: true }], Uint8Array.from(prompt), SIZE);
    const batch = { xs, ys: truth, count: 1 };
    const config = { inputSize: SIZE, bceWeight: 1 };
    const before = tf.memory().numTensors;
    const plain = interactiveStep(model, optimizer, batch, config);
    const weighted = interactiveStep(model, optimizer, batch, { ...config, keepWeight: 2 });
    const expected = tf.tidy(() => {
      const x = tf.tensor4d(xs, [1, SIZE, SIZE, INTERACTIVE_CHANNELS]);
      const y = tf.tensor4d(truth, [1, SIZE, SIZE, 1]);
      const predicted = model.apply(x, { training: true }) as tf.Tensor;
      return [segmentationLoss(predicted, y, 1).dataSync()[0]!, keptPixelsLoss(predicted, y, tf.tensor4d(prompt, [1, SIZE, SIZE, 1])).dataSync()[0]!];
    });
    expect(plain).toBeCloseTo(expected[0]!, 5);
    expect(expected[1]!).toBeGreaterThan(0.01); // an untrained network gets many of the prompt's pixels wrong
    expect(weighted).toBeCloseTo(expected[0]! + 2 * expected[1]!, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    optimizer.dispose();
  });
});
