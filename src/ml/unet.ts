import * as tf from '@tensorflow/tfjs';
import { BatchNormReLU } from './batch-norm-relu-layer.js';
import type { ModelShape } from './config.js';

/** Input channels: pre-contrast, FLAIR, post-contrast. */
export const INPUT_CHANNELS = 3;

// PyTorch's BatchNorm2d defaults (momentum 0.1 there is 0.9 here: tfjs weighs the old average).
const BATCH_NORM = { momentum: 0.9, epsilon: 1e-5 };

/** Hands each layer its own initializer seed, so the same config builds the same starting network. */
function seeds(seed: number) {
  let next = seed * 1000;
  return () => ++next;
}

/** [3×3 conv without bias → batch norm → ReLU] × 2, as Buda's `_block` (norm and ReLU as one layer). */
function block(input: tf.SymbolicTensor, features: number, name: string, seed: () => number): tf.SymbolicTensor {
  let x = input;
  for (const i of [1, 2]) {
    x = tf.layers
      .conv2d({
        filters: features, kernelSize: 3, padding: 'same', useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: seed() }), name: `${name}_conv${i}`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = new BatchNormReLU({ ...BATCH_NORM, name: `${name}_norm${i}` }).apply(x) as tf.SymbolicTensor;
  }
  return x;
}

/**
 * The U-Net of Buda et al. 2019: four levels down with 2×2 max-pooling, a bottleneck, four levels up with 2×2
 * transposed convolutions and skip concatenation, and a 1×1 sigmoid output. `features` sets the first level's
 * width (doubling per level); 32 gives the reference ~7.8M parameters. Initial weights follow from `seed`.
 */
export function buildUNet({ features, inputSize }: ModelShape, seed = 42): tf.LayersModel {
  const nextSeed = seeds(seed);
  const input = tf.input({ shape: [inputSize, inputSize, INPUT_CHANNELS], name: 'slices' });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let level = 1; level <= 4; level++) {
    x = block(x, features * 2 ** (level - 1), `enc${level}`, nextSeed);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool${level}` }).apply(x) as tf.SymbolicTensor;
  }
  x = block(x, features * 16, 'bottleneck', nextSeed);
  for (let level = 4; level >= 1; level--) {
    const width = features * 2 ** (level - 1);
    x = tf.layers
      .conv2dTranspose({
        filters: width, kernelSize: 2, strides: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }), name: `up${level}`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: `skip${level}` }).apply([x, skips[level - 1]!]) as tf.SymbolicTensor;
    x = block(x, width, `dec${level}`, nextSeed);
  }
  const output = tf.layers
    .conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }), name: 'mask' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'unet' });
}
