import { tf } from '../tf.js';

/**
 * FusedBatchNorm's gradient without tfjs-core's `tile`: core tiles 1/√(var+ε) to the full activation size
 * before multiplying, where broadcasting gives the same numbers without materialising a copy of every
 * activation (on WASM that tile was ~8% of a U-Net training step). Same formulas, otherwise unchanged.
 * Gradients are registered per kernel, not per backend, so this serves every backend.
 */
export const batchNormGradient: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const g = dy as tf.Tensor;
    const scaleValue = scale ?? tf.scalar(1);
    const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(mean.rank === 1 ? tf.sum(t, reductionAxes) : t, mean.shape);
    const xMinusMean = tf.sub(x, mean);
    const dyTimesScale = tf.mul(g, scaleValue);
    const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const minusHalfRCube = tf.mul(tf.mul(tf.mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance), tf.scalar(-0.5));
    return {
      x: () => tf.reshape(tf.mul(tf.mul(g, oneOverSqrtVariance), scaleValue), x.shape),
      mean: () => reduce(tf.mul(tf.mul(oneOverSqrtVariance, tf.scalar(-1)), dyTimesScale)),
      variance: () => reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
      scale: () => reduce(tf.mul(g, tf.mul(xMinusMean, oneOverSqrtVariance))),
      offset: () => reduce(g),
    };
  },
};

let registered = false;

export function registerBatchNormGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(batchNormGradient);
}
