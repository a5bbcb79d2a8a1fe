/**
 * The two model presets: `full` is Buda et al.'s reference U-Net and training recipe; `fast` is a quarter of the
 * network for CPUs, with a recipe measured to learn faster in the minutes a CPU user waits. After 195 steps on
 * the 23-patient sample, validation Dice was 0.57 with Adam 1e-3 and Dice + BCE, 0.45 with 3e-4 and Dice + BCE,
 * 0.28 with 1e-3 and Dice alone; Buda's 1e-4 with Dice alone needed ~1,000 steps to pass 0.48 (README).
 */
import { LR_SCHEDULES, type LearningRateSchedule } from './lr-schedule.js';
import {
  AUGMENTATION_DEFAULTS, BUDGETED_STEPS_PER_EPOCH, FROM_SCRATCH_DEFAULTS, OPTIMIZER_NAMES, RETRAIN_BUDGET_MINUTES, SGD_LEARNING_RATE,
  type OptimizerName, type PresetName,
} from '../contract/training-presets.js';

export const PRESETS = {
  // The full network's activations at batch 4 do not fit WASM's 4 GiB: it steps in micro-batches of 2.
  full: { features: 32, inputSize: 256, microBatchSize: 2, learningRate: 1e-4, bceWeight: 0 },
  fast: { features: 16, inputSize: 128, microBatchSize: 0, learningRate: 1e-3, bceWeight: 1 },
  // A smoke-test network that trains in seconds: for checking the pipeline end to end (demos, tests), not for
  // reading scans. It learns the fast recipe on an eighth of the features at 64².
  tiny: { features: 4, inputSize: 64, microBatchSize: 0, learningRate: 1e-3, bceWeight: 1 },
} as const satisfies Record<PresetName, unknown>;

export type { PresetName };

/** Defaults follow brain-segmentation-pytorch unless noted. */
export const DEFAULTS = {
  preset: FROM_SCRATCH_DEFAULTS.preset,
  epochs: FROM_SCRATCH_DEFAULTS.epochs,
  batchSize: 4,
  augmentScale: AUGMENTATION_DEFAULTS.scale,
  augmentRotationDegrees: AUGMENTATION_DEFAULTS.rotationDegrees,
  augmentFlipProbability: AUGMENTATION_DEFAULTS.flipProbability,
  /**
   * Intensity augmentation: each channel's z-scored values are multiplied by 1 ± a and shifted by ± a (a drawn per
   * sample and channel), so the network does not learn one scanner's contrast. 0 turns it off.
   */
  augmentIntensity: AUGMENTATION_DEFAULTS.intensity,
  /** Adam (the recipe); `sgd` is momentum SGD, the R torch blog post's choice with the one-cycle schedule. */
  optimizer: 'adam' as OptimizerName,
  learningRateSchedule: 'cosine' as LearningRateSchedule,
  /** Keep only the largest 3-D connected component of a predicted volume before scoring (as Buda). */
  largestComponent: true,
  /**
   * Predict each slice twice, as is and mirrored left–right, and average (test-time augmentation) when storing
   * and evaluating predictions; validation during training does not, to stay fast. On the bundled model's 20
   * validation patients it raised the first bundled run's per-volume Dice from 0.750 to 0.800, mostly by making the largest-component
   * choice robust (scripts/postprocess-sweep.mjs; docs/training.md).
   */
  testTimeFlip: true,
  /** Share of retraining samples drawn from slices edited since the parent model; the rest replays everything. */
  editedShare: 0.5,
  /**
   * Minimum share of a lesion patient's draws that go to its lesion-free slices (sampling.ts). 0 keeps Buda's
   * probabilities (≤ ~9 %); a trial against false positives on lesion-free slices, not yet measured to pay.
   */
  lesionFreeShare: 0,
  seed: 42,
};

/**
 * Retrain on edits is a fine-tune a radiologist waits for: from the active model, within a time budget (the
 * whole run, with its two validations, stays under ~3 minutes on two cores at the bundled model's size), at a
 * lower rate than training from scratch, the edited slices drawn for half the samples. One long epoch that the
 * budget ends: the rate decays with the time spent, and the run is validated once at the end against its parent.
 * Epochs and steps apply where the user sets neither; the budget where they set no minutes.
 */
export const RETRAIN_DEFAULTS = {
  minutes: RETRAIN_BUDGET_MINUTES,
  epochs: 1,
  stepsPerEpoch: BUDGETED_STEPS_PER_EPOCH,
  learningRate: 5e-4,
} as const;

/**
 * The interactive model's fine-tune (issue #29; src/ml/interactive/): from the automatic model, Adam at 5e-4 along
 * the cosine (the new channels start at zero and must grow), one thread (it shares the machine), epochs of 150
 * steps so a checkpoint comes every ~10 minutes on a shared machine.
 */
export const INTERACTIVE_DEFAULTS = {
  epochs: 1000,
  stepsPerEpoch: 150,
  learningRate: 5e-4,
  workers: 1,
} as const;

/** What a model does: segment a slice by itself, or refine a proposal from clicks (issue #29; src/ml/interactive/). */
export type ModelKind = 'automatic' | 'interactive';

/** Everything that shapes a training run; stored with each model version. */
export interface TrainConfig {
  /** Absent for the automatic model (every config before the interactive one). */
  kind?: ModelKind;
  preset: PresetName;
  features: number;
  inputSize: number;
  epochs: number;
  /** Optimiser steps per epoch; 0 means one pass over the training slices. */
  stepsPerEpoch: number;
  batchSize: number;
  /** Slices per forward/backward pass; gradients of a batch's micro-batches are averaged (0: the whole batch). */
  microBatchSize: number;
  /** Threads computing gradients in parallel on WASM/CPU (0: one per core, at most the batch size). */
  workers: number;
  /** `adam`, or `sgd` with momentum 0.9 (optimizer.ts); absent in configs stored before it existed: Adam. */
  optimizer: OptimizerName;
  /** Adam's rate; SGD's and one-cycle's peak. */
  learningRate: number;
  bceWeight: number;
  augmentScale: number;
  augmentRotationDegrees: number;
  augmentFlipProbability: number;
  augmentIntensity: number;
  /**
   * `constant`, `cosine` decay to a twentieth, or `one-cycle` warm-up and decay, over the planned steps or the time
   * budget (lr-schedule.ts).
   */
  learningRateSchedule: LearningRateSchedule;
  largestComponent: boolean;
  testTimeFlip: boolean;
  editedShare: number;
  lesionFreeShare: number;
  /** Wall-clock budget in minutes (0: none); the run stops after the step that crosses it. */
  minutes: number;
  seed: number;
  /**
   * The interactive model's training: at most this many clicks simulated with the network before each step
   * (src/ml/interactive/batch.ts); absent in configs stored before it was a setting: 3.
   */
  clickRounds?: number;
  /**
   * The interactive model's loss: Dice over the batch (absent: as runs stored before it was a setting) or over
   * each slice, averaged (loss.ts).
   */
  diceOver?: DiceOver;
  /**
   * The interactive model's training: validate and keep an exponential moving average of the weights with this
   * decay per step (weight-average.ts); absent: the raw weights, as runs stored before it was a setting.
   */
  weightAverage?: number;
  /**
   * The interactive model's loss: the weight of the pixels its prompt had right that it gets wrong
   * (loss.ts keptPixelsLoss); absent: 0, as runs stored before it was a setting.
   */
  keepWeight?: number;
}

/** Which Dice the loss takes: over the whole batch (the automatic model's) or each slice's, averaged. */
export type DiceOver = 'batch' | 'slice';

/** Input channels of the automatic model: pre-contrast, FLAIR, post-contrast. */
export const INPUT_CHANNELS = 3;

/** The parts of the config that fix the network's shape: a model can only resume or retrain with the same. */
export interface ModelShape {
  features: number;
  inputSize: number;
  /** Input channels when not the three MR sequences (the interactive model adds clicks and a mask: 6). */
  inputChannels?: number;
}

/** Raised for a config that cannot train; the message names the field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Fills defaults (preset first, then named constants) and checks every field. */
export function validateTrainConfig(input: Partial<TrainConfig> = {}): TrainConfig {
  const preset = input.preset ?? DEFAULTS.preset;
  if (!(preset in PRESETS)) throw new ConfigError(`unknown preset "${preset}" (use ${Object.keys(PRESETS).join(' or ')})`);
  if (input.kind !== undefined && input.kind !== 'automatic' && input.kind !== 'interactive') {
    throw new ConfigError(`kind must be automatic or interactive, got "${String(input.kind)}"`);
  }
  const config: TrainConfig = {
    ...(input.kind === 'interactive' ? { kind: 'interactive' as const } : {}),
    preset,
    features: input.features ?? PRESETS[preset].features,
    inputSize: input.inputSize ?? PRESETS[preset].inputSize,
    epochs: input.epochs ?? DEFAULTS.epochs,
    stepsPerEpoch: input.stepsPerEpoch ?? 0,
    batchSize: input.batchSize ?? DEFAULTS.batchSize,
    microBatchSize: input.microBatchSize ?? PRESETS[preset].microBatchSize,
    workers: input.workers ?? 0,
    optimizer: input.optimizer ?? DEFAULTS.optimizer,
    learningRate: input.learningRate ?? (input.optimizer === 'sgd' ? SGD_LEARNING_RATE : PRESETS[preset].learningRate),
    bceWeight: input.bceWeight ?? PRESETS[preset].bceWeight,
    augmentScale: input.augmentScale ?? DEFAULTS.augmentScale,
    augmentRotationDegrees: input.augmentRotationDegrees ?? DEFAULTS.augmentRotationDegrees,
    augmentFlipProbability: input.augmentFlipProbability ?? DEFAULTS.augmentFlipProbability,
    augmentIntensity: input.augmentIntensity ?? DEFAULTS.augmentIntensity,
    learningRateSchedule: input.learningRateSchedule ?? DEFAULTS.learningRateSchedule,
    largestComponent: input.largestComponent ?? DEFAULTS.largestComponent,
    testTimeFlip: input.testTimeFlip ?? DEFAULTS.testTimeFlip,
    editedShare: input.editedShare ?? DEFAULTS.editedShare,
    lesionFreeShare: input.lesionFreeShare ?? DEFAULTS.lesionFreeShare,
    minutes: input.minutes ?? 0,
    seed: input.seed ?? DEFAULTS.seed,
    ...(input.clickRounds !== undefined ? { clickRounds: input.clickRounds } : {}),
    ...(input.diceOver !== undefined ? { diceOver: input.diceOver } : {}),
    ...(input.weightAverage !== undefined ? { weightAverage: input.weightAverage } : {}),
    ...(input.keepWeight !== undefined ? { keepWeight: input.keepWeight } : {}),
  };
  const positiveInt = (name: keyof TrainConfig, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a whole number ≥ 1, got ${value}`);
  };
  positiveInt('features', config.features);
  positiveInt('epochs', config.epochs);
  positiveInt('batchSize', config.batchSize);
  // Four 2×2 poolings: the input must halve cleanly four times.
  if (!Number.isInteger(config.inputSize) || config.inputSize < 16 || config.inputSize % 16 !== 0) {
    throw new ConfigError(`inputSize must be a multiple of 16 (≥ 16), got ${config.inputSize}`);
  }
  if (!Number.isInteger(config.stepsPerEpoch) || config.stepsPerEpoch < 0) throw new ConfigError('stepsPerEpoch must be ≥ 0');
  if (!Number.isInteger(config.microBatchSize) || config.microBatchSize < 0) throw new ConfigError('microBatchSize must be ≥ 0');
  if (!Number.isInteger(config.workers) || config.workers < 0) throw new ConfigError('workers must be a whole number ≥ 0');
  if (!(config.learningRate > 0 && config.learningRate < 1)) throw new ConfigError(`learningRate must be in (0, 1), got ${config.learningRate}`);
  if (!OPTIMIZER_NAMES.includes(config.optimizer)) {
    throw new ConfigError(`optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}, got "${String(config.optimizer)}"`);
  }
  if (!(config.augmentIntensity >= 0 && config.augmentIntensity < 1)) throw new ConfigError('augmentIntensity must be in [0, 1)');
  if (!(config.augmentFlipProbability >= 0 && config.augmentFlipProbability <= 1)) {
    throw new ConfigError(`augmentFlipProbability must be in [0, 1], got ${config.augmentFlipProbability}`);
  }
  if (!(config.augmentScale >= 0 && config.augmentScale < 1)) throw new ConfigError(`augmentScale must be in [0, 1), got ${config.augmentScale}`);
  if (!(config.augmentRotationDegrees >= 0 && config.augmentRotationDegrees <= 180)) {
    throw new ConfigError(`augmentRotationDegrees must be in [0, 180], got ${config.augmentRotationDegrees}`);
  }
  if (!LR_SCHEDULES.includes(config.learningRateSchedule)) {
    throw new ConfigError(`learningRateSchedule must be one of ${LR_SCHEDULES.join(', ')}, got "${config.learningRateSchedule}"`);
  }
  if (!(config.bceWeight >= 0)) throw new ConfigError('bceWeight must be ≥ 0');
  if (!(config.minutes >= 0)) throw new ConfigError('minutes must be ≥ 0');
  if (!(config.editedShare >= 0 && config.editedShare <= 1)) throw new ConfigError('editedShare must be in [0, 1]');
  if (!(config.lesionFreeShare >= 0 && config.lesionFreeShare < 1)) throw new ConfigError('lesionFreeShare must be in [0, 1)');
  // The interactive model's own settings: refused on an automatic run, where they would be silently ignored.
  for (const name of ['clickRounds', 'diceOver', 'weightAverage', 'keepWeight'] as const) {
    if (config[name] !== undefined && config.kind !== 'interactive') throw new ConfigError(`${name} applies to the interactive model only`);
  }
  if (config.clickRounds !== undefined && (!Number.isInteger(config.clickRounds) || config.clickRounds < 0 || config.clickRounds > 20)) {
    throw new ConfigError(`clickRounds must be a whole number in [0, 20], got ${config.clickRounds}`);
  }
  if (config.diceOver !== undefined && config.diceOver !== 'batch' && config.diceOver !== 'slice') {
    throw new ConfigError(`diceOver must be batch or slice, got "${String(config.diceOver)}"`);
  }
  if (config.weightAverage !== undefined && !(config.weightAverage > 0 && config.weightAverage < 1)) {
    throw new ConfigError(`weightAverage must be in (0, 1), got ${config.weightAverage}`);
  }
  if (config.keepWeight !== undefined && !(config.keepWeight >= 0)) throw new ConfigError(`keepWeight must be ≥ 0, got ${config.keepWeight}`);
  return config;
}
