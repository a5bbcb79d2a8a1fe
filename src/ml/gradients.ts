import { tf } from './tf.js';
import { INPUT_CHANNELS, type TrainConfig } from './config.js';
import { segmentationLoss } from './loss.js';

/** What a gradient computation needs to know about the run. */
export type GradientConfig = Pick<TrainConfig, 'inputSize' | 'bceWeight' | 'microBatchSize'>;

/** Images [count, size, size, 3] and 0/1 targets [count, size, size] of one batch or shard. */
export interface Batch {
  xs: Float32Array;
  ys: Float32Array;
  count: number;
}

/**
 * The loss and gradients (keyed by variable name) of a batch. With `microBatchSize` below the batch, the batch is
 * processed in slices whose gradients are averaged: activation memory shrinks with the micro-batch (the `full`
 * preset does not fit WASM's memory at batch 4 otherwise); the loss is then the mean of the slices' Dice losses.
 * The caller owns (and disposes) the returned gradients.
 */
export function batchGradients(model: tf.LayersModel, batch: Batch, config: GradientConfig): { loss: number; grads: tf.NamedTensorMap } {
  const { losses, grads } = batchGradientTensors(model, batch, config);
  let lossSum = 0;
  for (const value of losses) lossSum += value.dataSync()[0]!;
  tf.dispose(losses);
  return { loss: lossSum / losses.length, grads };
}

/**
 * {@link batchGradients} with each slice's loss left on the backend as a scalar (the caller reads and disposes
 * them): WebGPU in Node cannot read synchronously, and reading after the optimizer step keeps the GPU busy.
 */
export function batchGradientTensors(model: tf.LayersModel, batch: Batch, config: GradientConfig): { losses: tf.Tensor[]; grads: tf.NamedTensorMap } {
  const size = config.inputSize;
  const plane = size * size;
  const micro = Math.min(config.microBatchSize || batch.count, batch.count);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let accumulated: tf.NamedTensorMap | null = null;
  const losses: tf.Tensor[] = [];
  try {
    for (let start = 0; start < batch.count; start += micro) {
      const count = Math.min(micro, batch.count - start);
      const { value, grads } = tf.variableGrads(() => {
        const x = tf.tensor4d(batch.xs.subarray(start * plane * INPUT_CHANNELS, (start + count) * plane * INPUT_CHANNELS), [count, size, size, INPUT_CHANNELS]);
        const y = tf.tensor4d(batch.ys.subarray(start * plane, (start + count) * plane), [count, size, size, 1]);
        return segmentationLoss(model.apply(x, { training: true }) as tf.Tensor, y, config.bceWeight);
      }, variables);
      losses.push(value);
      if (!accumulated) accumulated = grads;
      else {
        for (const name of Object.keys(grads)) {
          const sum = tf.add(accumulated[name]!, grads[name]!);
          tf.dispose([accumulated[name]!, grads[name]!]);
          accumulated[name] = sum;
        }
      }
    }
  } catch (error) {
    if (accumulated) tf.dispose(Object.values(accumulated));
    tf.dispose(losses);
    throw error;
  }
  const total = accumulated!;
  const parts = losses.length;
  if (parts === 1) return { losses, grads: total };
  const averaged = tf.tidy(() => Object.fromEntries(Object.entries(total).map(([name, g]) => [name, tf.div(g, parts)])));
  tf.dispose(Object.values(total));
  return { losses, grads: averaged };
}

/**
 * Forward, loss, backward and optimizer update on one batch; returns the loss. Shared by training and
 * `brainseg bench`, so the benchmark times the real step.
 */
export function optimizeBatch(model: tf.LayersModel, optimizer: tf.Optimizer, batch: Batch, config: GradientConfig): number {
  const { loss, grads } = batchGradients(model, batch, config);
  try {
    optimizer.applyGradients(grads);
  } finally {
    tf.dispose(Object.values(grads));
  }
  return loss;
}

/** Splits `total` items into at most `parts` contiguous ranges of nearly equal size (the first ones larger). */
export function shardRanges(total: number, parts: number): { start: number; count: number }[] {
  const ranges: { start: number; count: number }[] = [];
  let start = 0;
  for (let i = 0; i < parts && start < total; i++) {
    const count = Math.ceil((total - start) / (parts - i));
    ranges.push({ start, count });
    start += count;
  }
  return ranges;
}

/** Splits a batch into `parts` shards of nearly equal size (the first ones larger), without copying. */
export function shardBatch(batch: Batch, parts: number, inputSize: number): Batch[] {
  const plane = inputSize * inputSize;
  return shardRanges(batch.count, parts).map(({ start, count }) => ({
    xs: batch.xs.subarray(start * plane * INPUT_CHANNELS, (start + count) * plane * INPUT_CHANNELS),
    ys: batch.ys.subarray(start * plane, (start + count) * plane),
    count,
  }));
}
