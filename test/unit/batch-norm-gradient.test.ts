import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';

/** Batch normalisation spelled out in primitive ops, so its gradient never touches the FusedBatchNorm kernel. */
function explicitBatchNorm(x: tf.Tensor4D, scale: tf.Tensor1D, offset: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-3))), scale), offset);
}

function fusedBatchNorm(x: tf.Tensor4D, scale: tf.Tensor1D, offset: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
}

describe('FusedBatchNorm gradient without tile', () => {
  beforeAll(async () => {
    await selectBackend('wasm'); // registers the replacement gradient
  });

  it.each(['wasm', 'cpu'])('matches the gradient of batch norm written in primitive ops (%s)', async (backend) => {
    await tf.setBackend(backend);
    const x = tf.randomNormal([3, 5, 4, 6], 0, 2, 'float32', 11) as tf.Tensor4D;
    const scale = tf.randomNormal([6], 1, 0.3, 'float32', 12) as tf.Tensor1D;
    const offset = tf.randomNormal([6], 0, 1, 'float32', 13) as tf.Tensor1D;
    const weights = tf.randomNormal([3, 5, 4, 6], 0, 1, 'float32', 14);
    const gradients = (bn: typeof fusedBatchNorm) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(bn(a as tf.Tensor4D, b as tf.Tensor1D, c as tf.Tensor1D), weights)))([x, scale, offset]);
    const mine = gradients(fusedBatchNorm);
    const reference = gradients(explicitBatchNorm);
    mine.forEach((g, i) => {
      const diff = tf.max(tf.abs(tf.sub(g, reference[i]!))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-4);
    });
    expect(tf.max(tf.abs(mine[0]!)).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, scale, offset, weights, ...mine, ...reference]);
  });
});
