import { tf } from '../tf.js';
import { INPUT_CHANNELS, type DiceOver, type ModelShape } from '../config.js';
import type { GradientConfig } from '../gradients.js';
import { keptPixelsLoss, segmentationLoss } from '../loss.js';
import { buildUNet } from '../unet.js';
import { INTERACTIVE_CHANNELS, MASK_CHANNEL } from './encoding.js';

/** The first convolution: the only layer whose weights depend on the input channels. */
const FIRST_LAYER = 'enc1_conv1';

/** The interactive network's shape, from the automatic model's. */
export function interactiveShape(shape: ModelShape): ModelShape {
  return { features: shape.features, inputSize: shape.inputSize, inputChannels: INTERACTIVE_CHANNELS };
}

/**
 * A U-Net with the click and mask channels added, holding the automatic model's weights; the new channels'
 * first-layer weights are zero, so before any fine-tuning it ignores them and segments exactly as the automatic
 * model does. The caller disposes it.
 */
export function expandAutomaticModel(automatic: tf.LayersModel, shape: ModelShape): tf.LayersModel {
  const model = buildUNet(interactiveShape(shape), undefined, { weightsFollow: true });
  try {
    tf.tidy(() => {
      // Layer by layer: a model's own weight list puts every trainable weight before the batch-norm statistics.
      for (const layer of model.layers) {
        const source = automatic.getLayer(layer.name).getWeights();
        if (source.length === 0) continue;
        if (layer.name !== FIRST_LAYER) {
          layer.setWeights(source);
          continue;
        }
        const [kernel, ...rest] = source; // [3, 3, 3, features]
        const extra = INTERACTIVE_CHANNELS - INPUT_CHANNELS;
        const zeros = tf.zeros([kernel!.shape[0]!, kernel!.shape[1]!, extra, kernel!.shape[3]!]);
        layer.setWeights([tf.concat([kernel!, zeros], 2), ...rest]);
      }
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Foreground probabilities of `count` assembled inputs ([count, size, size, 6]), in batches of 8. */
export function predictInteractive(model: tf.LayersModel, inputs: Float32Array, count: number, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(count * plane);
  for (let start = 0; start < count; start += 8) {
    const n = Math.min(8, count - start);
    const probabilities = tf.tidy(() => {
      const x = tf.tensor4d(inputs.subarray(start * plane * INTERACTIVE_CHANNELS, (start + n) * plane * INTERACTIVE_CHANNELS), [n, size, size, INTERACTIVE_CHANNELS]);
      return model.predict(x) as tf.Tensor;
    });
    out.set(probabilities.dataSync(), start * plane);
    probabilities.dispose();
  }
  return out;
}

/** One optimizer step on assembled inputs and 0/1 targets; returns the loss. Frees every tensor it makes. */
export function interactiveStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: { xs: Float32Array; ys: Float32Array; count: number },
  config: Pick<GradientConfig, 'inputSize' | 'bceWeight'> & { diceOver?: DiceOver; keepWeight?: number },
): number {
  const size = config.inputSize;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor4d(batch.xs, [batch.count, size, size, INTERACTIVE_CHANNELS]);
    const y = tf.tensor4d(batch.ys, [batch.count, size, size, 1]);
    const predicted = model.apply(x, { training: true }) as tf.Tensor;
    const loss = segmentationLoss(predicted, y, config.bceWeight, config.diceOver);
    if (!config.keepWeight) return loss;
    const prompt = tf.greater(tf.slice(x, [0, 0, 0, MASK_CHANNEL], [-1, -1, -1, 1]), 0).toFloat();
    return tf.add(loss, tf.mul(config.keepWeight, keptPixelsLoss(predicted, y, prompt))) as tf.Scalar;
  }, variables);
  try {
    optimizer.applyGradients(grads);
    return value.dataSync()[0]!;
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}
