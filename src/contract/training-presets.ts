// The names and UI-facing figures of training, in one leaf module: the core's config (config.ts), the API
// contract, the CLI and the training panel all read them from here.

/** The model presets by name; their network and recipe values are in config.ts. */
export const PRESET_NAMES = ['fast', 'full', 'tiny'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** How the UI names each preset. */
export const PRESET_LABELS: Readonly<Record<PresetName, string>> = {
  fast: 'fast (CPU)', full: 'full (Buda 2019)', tiny: 'tiny (smoke test)',
};

/**
 * A model trained from scratch unless the user says otherwise: `brainseg train --from-scratch`, Model ▸ Train from
 * Scratch and the training panel's fields all start from these.
 */
export const FROM_SCRATCH_DEFAULTS: Readonly<{ preset: PresetName; epochs: number }> = { preset: 'fast', epochs: 20 };

/** The default time budget of a retrain on edits (minutes): the menu, Ctrl+R and the training panel. */
export const RETRAIN_BUDGET_MINUTES = 2;

/**
 * Steps per epoch of a time-budgeted retrain: large enough that the budget, not the step count, ends the run.
 * Progress with this many steps has no meaningful "of N".
 */
export const BUDGETED_STEPS_PER_EPOCH = 100_000;

/** The optimisers a run can use (src/ml/optimizer.ts). */
export const OPTIMIZER_NAMES = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The learning-rate schedules (src/ml/lr-schedule.ts). */
export const LR_SCHEDULE_NAMES = ['constant', 'cosine', 'one-cycle'] as const;
export type LearningRateSchedule = (typeof LR_SCHEDULE_NAMES)[number];

/** SGD's peak rate when none is given: the R torch blog post's `max_lr = 0.1`. Adam's 1e-3 would barely move SGD. */
export const SGD_LEARNING_RATE = 0.1;

/**
 * The augmentation a training sample gets (src/ml/augment.ts), drawn afresh per sample: a horizontal flip with
 * this probability, a scale of 1 ± `scale`, a rotation of ± `rotationDegrees`, and per channel a gain of
 * 1 ± `intensity` and a shift of ± `intensity` (z-scored units).
 */
export interface AugmentationSettings {
  flipProbability: number;
  scale: number;
  rotationDegrees: number;
  intensity: number;
}

/** Buda et al.'s flip, scale and rotation; intensity is the workstation's (config.ts). */
export const AUGMENTATION_DEFAULTS: Readonly<AugmentationSettings> = {
  flipProbability: 0.5, scale: 0.05, rotationDegrees: 15, intensity: 0.1,
};

/** What `brainseg models` and the models panel show of a model's recipe, from its stored config. */
export function formatRecipe(config: Readonly<Record<string, unknown>>): string {
  const num = (key: string, fallback: number) => (typeof config[key] === 'number' ? (config[key] as number) : fallback);
  const optimizer = typeof config['optimizer'] === 'string' ? config['optimizer'] : 'adam';
  const schedule = typeof config['learningRateSchedule'] === 'string' ? config['learningRateSchedule'] : 'constant';
  const augmentation = [
    `flip ${num('augmentFlipProbability', AUGMENTATION_DEFAULTS.flipProbability)}`,
    `scale ±${num('augmentScale', AUGMENTATION_DEFAULTS.scale)}`,
    `rot ±${num('augmentRotationDegrees', AUGMENTATION_DEFAULTS.rotationDegrees)}°`,
    `int ±${num('augmentIntensity', 0)}`,
  ].join(' ');
  const rate = typeof config['learningRate'] === 'number' ? ` ${config['learningRate']}` : '';
  return `${optimizer}${rate}/${schedule}, ${augmentation}`;
}
