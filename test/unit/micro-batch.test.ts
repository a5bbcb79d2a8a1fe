import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { segmentationLoss } from '../../src/ml/loss.js';
import { optimizeBatch } from '../../src/ml/train-loop.js';
import { buildUNet } from '../../src/ml/unet.js';

const SIZE = 16;
const BATCH = 4;
const PLANE = SIZE * SIZE;

function batch(): { xs: Float32Array; ys: Float32Array } {
  const xs = Float32Array.from({ length: BATCH * PLANE * 3 }, (_, i) => Math.sin(i * 0.7) + Math.cos(i * 0.013));
  const ys = Float32Array.from({ length: BATCH * PLANE }, (_, i) => ((i % SIZE) > 5 && (i % SIZE) < 11 ? 1 : 0));
  return { xs, ys };
}

describe('micro-batched training step', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('applies the mean of the micro-batches’ gradients in one optimizer step', () => {
    const { xs, ys } = batch();
    const stepped = buildUNet({ features: 2, inputSize: SIZE }, 3);
    const reference = buildUNet({ features: 2, inputSize: SIZE }, 3);
    const before = reference.trainableWeights.map((w) => w.read().dataSync().slice());

    // SGD with learning rate 1: the weight change is exactly minus the applied gradient.
    const sgd = tf.train.sgd(1);
    optimizeBatch(stepped, sgd, xs, ys, { batchSize: BATCH, inputSize: SIZE, bceWeight: 0, microBatchSize: 2 });

    const halves = [0, 2].map((start) =>
      tf.tidy(() => {
        const x = tf.tensor4d(xs.subarray(start * PLANE * 3, (start + 2) * PLANE * 3), [2, SIZE, SIZE, 3]);
        const y = tf.tensor4d(ys.subarray(start * PLANE, (start + 2) * PLANE), [2, SIZE, SIZE, 1]);
        const { grads, value } = tf.variableGrads(() => segmentationLoss(reference.apply(x, { training: true }) as tf.Tensor, y, 0), reference.trainableWeights.map((w) => w.read() as tf.Variable));
        value.dispose();
        return reference.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name]!.dataSync().slice());
      }),
    );
    stepped.trainableWeights.forEach((w, i) => {
      const after = w.read().dataSync();
      const expected = before[i]!.map((v, j) => v - (halves[0]![i]![j]! + halves[1]![i]![j]!) / 2);
      const worst = Math.max(...expected.map((v, j) => Math.abs(v - after[j]!)));
      expect(worst, w.name).toBeLessThan(1e-4);
    });
    stepped.dispose();
    reference.dispose();
    sgd.dispose();
  });

  it('leaks no tensors', () => {
    const { xs, ys } = batch();
    const model = buildUNet({ features: 2, inputSize: SIZE }, 4);
    const adam = tf.train.adam(1e-3);
    optimizeBatch(model, adam, xs, ys, { batchSize: BATCH, inputSize: SIZE, bceWeight: 0, microBatchSize: 1 });
    const count = tf.memory().numTensors;
    optimizeBatch(model, adam, xs, ys, { batchSize: BATCH, inputSize: SIZE, bceWeight: 0, microBatchSize: 1 });
    expect(tf.memory().numTensors).toBe(count);
    model.dispose();
    adam.dispose();
  });
});
