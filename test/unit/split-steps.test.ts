import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { optimizeBatch, shardBatch, type Batch } from '../../src/ml/gradients.js';
import { segmentationLoss } from '../../src/ml/loss.js';
import { predictSlices } from '../../src/ml/predict.js';
import { GradientWorkerPool } from '../../src/ml/parallel/worker-pool.js';
import { buildUNet } from '../../src/ml/unet.js';

const SIZE = 16;
const BATCH = 4;
const PLANE = SIZE * SIZE;
const SHAPE = { features: 2, inputSize: SIZE };

function batch(): Batch {
  const xs = Float32Array.from({ length: BATCH * PLANE * 3 }, (_, i) => Math.sin(i * 0.7) + Math.cos(i * 0.013));
  const ys = Float32Array.from({ length: BATCH * PLANE }, (_, i) => ((i % SIZE) > 5 && (i % SIZE) < 11 ? 1 : 0));
  return { xs, ys, count: BATCH };
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.trainableWeights.map((w) => w.read().dataSync().slice() as Float32Array);
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  return Math.max(...a.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - b[i]![j]!)))));
}

/** The weights after one SGD (lr 1) step on the mean of the two halves' separately computed gradients. */
function referenceStep(): Float32Array[] {
  const reference = buildUNet(SHAPE, 3);
  const before = weightsOf(reference);
  const halves = shardBatch(batch(), 2, SIZE).map((shard) =>
    tf.tidy(() => {
      const x = tf.tensor4d(shard.xs, [shard.count, SIZE, SIZE, 3]);
      const y = tf.tensor4d(shard.ys, [shard.count, SIZE, SIZE, 1]);
      const variables = reference.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => segmentationLoss(reference.apply(x, { training: true }) as tf.Tensor, y, 0), variables);
      return variables.map((v) => grads[v.name]!.dataSync().slice() as Float32Array);
    }),
  );
  reference.dispose();
  return before.map((w, i) => w.map((v, j) => v - (halves[0]![i]![j]! + halves[1]![i]![j]!) / 2));
}

describe('split training steps', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('micro-batching applies the mean of the micro-batches’ gradients in one optimizer step', () => {
    const model = buildUNet(SHAPE, 3);
    const sgd = tf.train.sgd(1); // learning rate 1: the weight change is exactly minus the applied gradient
    optimizeBatch(model, sgd, batch(), { inputSize: SIZE, bceWeight: 0, microBatchSize: 2 });
    expect(maxDifference(weightsOf(model), referenceStep())).toBeLessThan(1e-4);
    model.dispose();
    sgd.dispose();
  });

  it('a data-parallel step over a worker thread matches the same step on one thread', async () => {
    const model = buildUNet(SHAPE, 3);
    const sgd = tf.train.sgd(1);
    const pool = await GradientWorkerPool.start(1, 'wasm', SHAPE);
    try {
      expect(pool.parallelism).toBe(2);
      const loss = await pool.step(model, sgd, batch(), { inputSize: SIZE, bceWeight: 0, microBatchSize: 0 });
      expect(loss).toBeGreaterThan(0);
      expect(maxDifference(weightsOf(model), referenceStep())).toBeLessThan(1e-4);
    } finally {
      await pool.close();
      model.dispose();
      sgd.dispose();
    }
  });

  it('predicts on worker threads exactly what one thread predicts, in order', async () => {
    const model = buildUNet(SHAPE, 5);
    const pool = await GradientWorkerPool.start(1, 'wasm', SHAPE);
    try {
      // Train one step first so the batch-norm statistics differ from their initial values.
      optimizeBatch(model, tf.train.sgd(0.1), batch(), { inputSize: SIZE, bceWeight: 0, microBatchSize: 0 });
      await pool.loadWeights(model);
      const images = Float32Array.from({ length: 5 * PLANE * 3 }, (_, i) => Math.cos(i * 0.31));
      const parallel = await pool.predict(model, images, 5, SIZE);
      const single = predictSlices(model, images, 5, SIZE);
      expect(parallel.length).toBe(5 * PLANE);
      expect(Math.max(...parallel.map((p, i) => Math.abs(p - single[i]!)))).toBeLessThan(1e-5);
    } finally {
      await pool.close();
      model.dispose();
    }
  });

  it('splits batches into near-equal shards without losing a slice', () => {
    expect(shardBatch({ ...batch(), count: 4 }, 2, SIZE).map((s) => s.count)).toEqual([2, 2]);
    expect(shardBatch({ ...batch(), count: 3 }, 2, SIZE).map((s) => s.count)).toEqual([2, 1]);
    expect(shardBatch({ ...batch(), count: 1 }, 2, SIZE).map((s) => s.count)).toEqual([1]);
  });

  it('leaks no tensors', async () => {
    const model = buildUNet(SHAPE, 4);
    const adam = tf.train.adam(1e-3);
    const pool = await GradientWorkerPool.start(1, 'wasm', SHAPE);
    const config = { inputSize: SIZE, bceWeight: 0, microBatchSize: 1 };
    optimizeBatch(model, adam, batch(), config);
    await pool.step(model, adam, batch(), config);
    const count = tf.memory().numTensors;
    optimizeBatch(model, adam, batch(), config);
    await pool.step(model, adam, batch(), config);
    expect(tf.memory().numTensors).toBe(count);
    await pool.close();
    model.dispose();
    adam.dispose();
  });
});
