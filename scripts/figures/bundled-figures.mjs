// What the docs say about the bundled automatic model, derived from its card (resources/models/lgg-unet-fast/
// card.json), the one record of it: written by scripts/bundle-model.mjs when the model is packed.
import { dice, mean, minutes } from './format.mjs';

/** The figures the blocks print, each computed one way from the card. */
export function bundledFigures(card) {
  const patients = card.validationPatients;
  const sliceDice = patients.map((p) => p.lesionSliceDice).filter((v) => v !== null && v !== undefined);
  const best = card.history.find((h) => h.epoch === card.bestEpoch);
  const worst = patients.reduce((a, b) => (b.dice < a.dice ? b : a));
  return {
    training: card.trainingPatients.length,
    validation: patients.length,
    mean: card.validationMeanDice,
    median: card.validationMedianDice,
    // The trainer's own validation at the epoch it kept: one pass, no flip, largest component.
    singlePass: best ? best.valDice : null,
    // As `brainseg eval` reports it: the mean of each patient's mean over its lesion slices.
    lesionSliceDice: sliceDice.length ? mean(sliceDice) : null,
    falsePositiveSlices: patients.reduce((n, p) => n + (p.falsePositiveSlices ?? 0), 0),
    lesionFreeSlices: patients.reduce((n, p) => n + (p.lesionFreeSlices ?? 0), 0),
    worst,
    minutes: minutes(card.totalTrainingSeconds ?? card.trainingSeconds),
    runs: card.lineage?.length ? card.lineage : [{ epochs: card.epochs, bestEpoch: card.bestEpoch, seconds: card.trainingSeconds, history: card.history }],
  };
}

/** How the app predicts with it ("flip test-time augmentation, largest 3-D component, threshold 0.5"). */
export function predictedAs(config) {
  return [
    config.testTimeFlip === false ? 'no flip test-time augmentation' : 'flip test-time augmentation',
    config.largestComponent === false ? 'every 3-D component' : 'largest 3-D component',
    'threshold 0.5',
  ].join(', ');
}

/** "mean 0.847, median 0.843" */
export const meanMedian = (f) => `mean ${dice(f.mean)}, median ${dice(f.median)}`;

/** "10 of 517" */
export const falsePositives = (f) => `${f.falsePositiveSlices} of ${f.lesionFreeSlices}`;

/** The optimiser and schedule of its recipe in words ("Adam 0.001, cosine schedule"). */
export function recipeOf(config) {
  const optimizer = config.optimizer === 'sgd' ? 'SGD with momentum' : 'Adam';
  return `${optimizer} ${config.learningRate}, ${config.learningRateSchedule ?? 'cosine'} schedule`;
}
