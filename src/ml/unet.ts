import { tf } from './tf.js';
import { BatchNormReLU } from './batch-norm-relu-layer.js';
import { INPUT_CHANNELS, type ModelShape } from './config.js';

// PyTorch's BatchNorm2d defaults (momentum 0.1 there is 0.9 here: tfjs weighs the old average).
const BATCH_NORM = { momentum: 0.9, epsilon: 1e-5 };

/** How to build the network: for training, or for prediction with batch norm folded into the convolutions. */
export interface UNetOptions {
  /** Convolutions with a bias and a fused ReLU, no batch-norm layers: weights come from {@link loadFoldedWeights}. */
  foldedNorm?: boolean;
  /**
   * The caller sets every weight right after (a model file, a trained network, weights posted to a worker): start
   * from zeros instead of drawing random ones, which costs ~0.2 s of CPU per build of the fast network on WASM and
   * was spent, then thrown away, on every model load of every prediction.
   */
  weightsFollow?: boolean;
}

/** Hands each layer its own initializer seed, so the same config builds the same starting network. */
function seeds(seed: number) {
  let next = seed * 1000;
  return () => ++next;
}

/** A kernel initializer: the seeded random one, or zeros when the weights are set right after. */
type Initializer = ReturnType<typeof tf.initializers.zeros>;
type KernelInit = (random: () => Initializer) => Initializer;

/** [3×3 conv without bias → batch norm → ReLU] × 2, as Buda's `_block` (norm and ReLU as one layer). */
function block(input: tf.SymbolicTensor, features: number, name: string, seed: () => number, folded: boolean, init: KernelInit): tf.SymbolicTensor {
  let x = input;
  for (const i of [1, 2]) {
    x = tf.layers
      .conv2d({
        filters: features, kernelSize: 3, padding: 'same', useBias: folded, activation: folded ? 'relu' : 'linear',
        kernelInitializer: init(() => tf.initializers.heNormal({ seed: seed() })), name: `${name}_conv${i}`,
      })
      .apply(x) as tf.SymbolicTensor;
    if (!folded) x = new BatchNormReLU({ ...BATCH_NORM, name: `${name}_norm${i}` }).apply(x) as tf.SymbolicTensor;
  }
  return x;
}

/**
 * The U-Net of Buda et al. 2019: four levels down with 2×2 max-pooling, a bottleneck, four levels up with 2×2
 * transposed convolutions and skip concatenation, and a 1×1 sigmoid output. `features` sets the first level's
 * width (doubling per level); 32 gives the reference ~7.8M parameters. Initial weights follow from `seed`.
 */
export function buildUNet({ features, inputSize, inputChannels }: ModelShape, seed = 42, { foldedNorm = false, weightsFollow = false }: UNetOptions = {}): tf.LayersModel {
  const nextSeed = seeds(seed);
  const init: KernelInit = (random) => (weightsFollow ? tf.initializers.zeros() : random());
  const input = tf.input({ shape: [inputSize, inputSize, inputChannels ?? INPUT_CHANNELS], name: 'slices' });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let level = 1; level <= 4; level++) {
    x = block(x, features * 2 ** (level - 1), `enc${level}`, nextSeed, foldedNorm, init);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool${level}` }).apply(x) as tf.SymbolicTensor;
  }
  x = block(x, features * 16, 'bottleneck', nextSeed, foldedNorm, init);
  for (let level = 4; level >= 1; level--) {
    const width = features * 2 ** (level - 1);
    x = tf.layers
      .conv2dTranspose({
        filters: width, kernelSize: 2, strides: 2, kernelInitializer: init(() => tf.initializers.glorotUniform({ seed: nextSeed() })), name: `up${level}`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: `skip${level}` }).apply([x, skips[level - 1]!]) as tf.SymbolicTensor;
    x = block(x, width, `dec${level}`, nextSeed, foldedNorm, init);
  }
  const output = tf.layers
    .conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init(() => tf.initializers.glorotUniform({ seed: nextSeed() })), name: 'mask' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'unet' });
}

/** The network {@link loadFoldedWeights} fills for prediction. */
export function buildInferenceUNet(shape: ModelShape): tf.LayersModel {
  return buildUNet(shape, 0, { foldedNorm: true, weightsFollow: true });
}

/**
 * Copies a trained U-Net into an inference one ({@link buildInferenceUNet}) with each batch norm folded into the
 * convolution before it: in inference, BN(conv(x, W)) = conv(x, W·s) + (β − μ·s) with s = γ/√(σ² + ε), so each
 * block runs as one convolution with bias and ReLU. Prediction skips the separate normalisation pass (~15 % of
 * its time on WASM); the numbers agree to float rounding.
 */
export function loadFoldedWeights(inference: tf.LayersModel, trained: tf.LayersModel): void {
  tf.tidy(() => {
    const values = inference.layers.flatMap((layer) => {
      if (layer.weights.length === 0) return [];
      const source = trained.getLayer(layer.name).getWeights();
      const normName = layer.name.replace(/_conv(\d)$/, '_norm$1');
      if (normName === layer.name) return source;
      const [gamma, beta, mean, variance] = trained.getLayer(normName).getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BATCH_NORM.epsilon)));
      return [tf.mul(source[0]!, scale), tf.sub(beta, tf.mul(mean, scale))];
    });
    inference.setWeights(values);
  });
}

/** A new inference U-Net holding `trained`'s weights, folded. The caller disposes it. */
export function foldedCopy(trained: tf.LayersModel, shape: ModelShape): tf.LayersModel {
  const inference = buildInferenceUNet(shape);
  loadFoldedWeights(inference, trained);
  return inference;
}
