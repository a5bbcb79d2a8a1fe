import type { BackendChoice } from '../backends/backend-choice.js';
import type { ModelShape } from '../config.js';
import type { Batch, GradientConfig } from '../gradients.js';

/** Messages to a gradient worker. */
export type ToGradientWorker =
  | { type: 'init'; backend: BackendChoice; shape: ModelShape }
  | {
      type: 'gradients';
      /** Trainable weights in the model's trainableWeights order. */
      weights: Float32Array[];
      batch: Batch;
      config: GradientConfig;
    }
  /** All weights (batch-norm statistics too), in the model's `weights` order, for predicting. */
  | { type: 'load-weights'; weights: Float32Array[] }
  | { type: 'predict'; images: Float32Array; count: number };

/** Messages from a gradient worker. */
export type FromGradientWorker =
  | { type: 'ready'; backend: string }
  | { type: 'gradients'; loss: number; gradients: Float32Array[] }
  | { type: 'weights-loaded' }
  | { type: 'probabilities'; probabilities: Float32Array }
  | { type: 'error'; message: string };
