// An exponential moving average of a model's trainable weights (Polyak averaging, as in "mean teacher" and most
// detection and segmentation recipes): validation and the saved model use the average, training goes on with the
// raw weights. The interactive model's validation swung by 0.03–0.05 Dice from one epoch to the next (issue #29),
// as much as the gains sought; an average over the last few hundred steps is what each epoch's raw weights only
// sample noisily. Batch-norm statistics are running averages already and are left as they are.
import { tf } from './tf.js';

type LayerVariable = tf.LayersModel['trainableWeights'][number];

export class WeightAverage {
  private constructor(
    private readonly weights: readonly LayerVariable[],
    private readonly averages: tf.Variable[],
    private readonly decay: number,
  ) {}

  /** Starts the average at the model's current weights; `decay` in (0, 1): each step keeps this share of it. */
  static of(model: tf.LayersModel, decay: number): WeightAverage {
    if (!(decay > 0 && decay < 1)) throw new Error(`the weight average's decay must be in (0, 1), got ${decay}`);
    const weights = model.trainableWeights;
    return new WeightAverage(weights, weights.map((w) => tf.variable(w.read(), false)), decay);
  }

  /** After an optimizer step: average ← decay · average + (1 − decay) · weights. */
  update(): void {
    tf.tidy(() => {
      this.weights.forEach((w, i) => {
        const average = this.averages[i]!;
        average.assign(tf.add(tf.mul(average, this.decay), tf.mul(w.read(), 1 - this.decay)));
      });
    });
  }

  /** Runs `use` with the averaged weights in the model, then puts the trained ones back (also when `use` throws). */
  async withAveraged<T>(use: () => Promise<T>): Promise<T> {
    const trained = this.weights.map((w) => tf.clone(w.read()));
    try {
      this.weights.forEach((w, i) => w.write(this.averages[i]!));
      return await use();
    } finally {
      this.weights.forEach((w, i) => w.write(trained[i]!));
      tf.dispose(trained);
    }
  }

  dispose(): void {
    tf.dispose(this.averages);
  }
}
