import { tf } from './tf.js';
import { batchNormRelu, hasFusedBatchNormRelu } from './wasm-kernels/batch-norm-relu.js';

/** Settings of {@link BatchNormReLU}, with tfjs-layers' meaning (momentum weighs the old running average). */
export interface BatchNormReluArgs {
  name: string;
  momentum: number;
  epsilon: number;
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/**
 * Batch normalisation over the last axis, then ReLU: tfjs-layers' BatchNormalization and ReLU layers in one.
 * Same weights under the same names (gamma, beta, moving_mean, moving_variance), same numbers in training and
 * inference; in training on the WASM backend it runs as one fused kernel (see wasm-kernels/batch-norm-relu.ts),
 * elsewhere as the primitive ops the two layers use.
 */
export class BatchNormReLU extends tf.layers.Layer {
  static readonly className = 'BrainSegBatchNormReLU';
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma!: LayerVariable;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: BatchNormReluArgs) {
    super({ name: args.name });
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = [shape[shape.length - 1]!];
    this.gamma = this.addWeight('gamma', channels, 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', channels, 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', channels, 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', channels, 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const gamma = this.gamma.read();
      const beta = this.beta.read();
      if (!kwargs['training']) {
        return tf.relu(tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(), beta, gamma, this.epsilon));
      }
      let y: tf.Tensor;
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (hasFusedBatchNormRelu()) {
        [y, mean, variance] = batchNormRelu(x, gamma, beta, this.epsilon);
      } else {
        ({ mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]));
        y = tf.relu(tf.batchNorm(x, mean, variance, beta, gamma, this.epsilon));
      }
      this.updateRunningAverage(this.movingMean, mean);
      this.updateRunningAverage(this.movingVariance, variance);
      return y;
    });
  }

  /** running ← running − (running − batch)·(1 − momentum), exactly as tfjs-layers' BatchNormalization. */
  private updateRunningAverage(variable: LayerVariable, batch: tf.Tensor): void {
    tf.tidy(() => {
      const running = variable.read();
      variable.write(tf.sub(running, tf.mul(tf.sub(running, batch), 1 - this.momentum)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(BatchNormReLU);
