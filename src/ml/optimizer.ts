import { tf } from './tf.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../contract/training-presets.js';

/**
 * The two optimisers a run can use. `adam` is the workstation's recipe (README, "The recipe"); `sgd` is SGD with
 * momentum 0.9 as in the R torch blog post on Buda et al.'s LGG U-Net, meant with the one-cycle schedule.
 */
export type { OptimizerName };

export const OPTIMIZERS: readonly OptimizerName[] = OPTIMIZER_NAMES;

/** SGD's momentum (the blog's `optim_sgd(..., momentum = 0.9)`); held constant, not cycled with the rate. */
export const SGD_MOMENTUM = 0.9;

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  return name === 'sgd' ? tf.train.momentum(learningRate, SGD_MOMENTUM) : tf.train.adam(learningRate);
}

/**
 * Sets the rate for the next step. tfjs's Adam reads its `learningRate` field on every step; SGD and momentum
 * multiply by a scalar tensor made from it, which only `setLearningRate` renews. Neither optimiser's state (Adam's
 * moments, the momentum accumulators) depends on the rate, so changing it between steps is exactly a schedule.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  // Not `instanceof tf.SGDOptimizer`: tfjs's Optimizer answers instanceof by duck typing, so Adam passes it too.
  const sgd = optimizer as Partial<Pick<tf.SGDOptimizer, 'setLearningRate'>>;
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(rate);
  else (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/**
 * Checks that a checkpoint's optimizer weights belong to this optimiser before restoring them: Adam's moments
 * (`…/m`, `…/v`) loaded as momentum accumulators would silently train with garbage.
 */
export function checkOptimizerWeights(name: OptimizerName, weights: readonly { name: string }[]): void {
  const slots = weights.filter((w) => w.name !== 'iter');
  const fits = name === 'sgd' ? slots.every((w) => w.name.endsWith('/momentum')) : slots.every((w) => !w.name.endsWith('/momentum'));
  if (!fits) {
    throw new Error(`the checkpoint was trained with ${name === 'sgd' ? 'adam' : 'sgd'}; resume it with the same --optimizer`);
  }
}
