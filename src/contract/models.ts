import { z } from 'zod';
import {
  AUGMENTATION_DEFAULTS, BUDGETED_STEPS_PER_EPOCH, FROM_SCRATCH_DEFAULTS, LR_SCHEDULE_NAMES, OPTIMIZER_NAMES, PRESET_LABELS, PRESET_NAMES,
  RETRAIN_BUDGET_MINUTES, formatRecipe, type AugmentationSettings, type LearningRateSchedule, type OptimizerName, type PresetName,
} from './training-presets.js';
import { id } from './system.js';

// Models and training: the model versions, which one is active, and a training run from start to its end.

export {
  PRESET_LABELS, PRESET_NAMES, RETRAIN_BUDGET_MINUTES, BUDGETED_STEPS_PER_EPOCH, FROM_SCRATCH_DEFAULTS, AUGMENTATION_DEFAULTS, OPTIMIZER_NAMES,
  LR_SCHEDULE_NAMES, formatRecipe, type PresetName, type AugmentationSettings, type OptimizerName, type LearningRateSchedule,
};

/** The augmentation settings as a request carries them; the same limits the core's config checks. */
const augmentation = z
  .object({
    flipProbability: z.number().min(0).max(1),
    scale: z.number().min(0).lt(1),
    rotationDegrees: z.number().min(0).max(180),
    intensity: z.number().min(0).lt(1),
  })
  .strict();

/** How many random draws a preview may ask for. */
export const MAX_PREVIEW_DRAWS = 16;

export const MODEL_REQUESTS = {
  'models:list': z.object({}).strict(),
  'models:activate': z.object({ modelId: id }).strict(),
  // Every model's Dice on this folder's validation patients; the missing ones are scored in the background.
  'models:scores': z.object({}).strict(),
  'training:start': z
    .object({
      fromScratch: z.boolean(),
      preset: z.enum(PRESET_NAMES).optional(),
      epochs: z.number().int().positive().max(1000).optional(),
      minutes: z.number().positive().optional(),
      // The patient on screen: predicted by the new model (and its parent) when the run is accepted.
      patientId: id.optional(),
      // Continue the stopped run that `training:status` offers, with its own settings (the others are ignored).
      resume: z.boolean().optional(),
      optimizer: z.enum(OPTIMIZER_NAMES).optional(),
      schedule: z.enum(LR_SCHEDULE_NAMES).optional(),
      augmentation: augmentation.optional(),
    })
    .strict(),
  // One slice with its mask under `count` random draws of the augmentation settings, as training draws them.
  'training:augmentation-preview': z
    .object({
      sliceId: id,
      augmentation,
      count: z.number().int().min(1).max(MAX_PREVIEW_DRAWS),
      // The network's input size is the preset's (default fast).
      preset: z.enum(PRESET_NAMES).optional(),
      // Fixes the draws (tests); absent, each preview draws anew.
      seed: z.number().int().nonnegative().optional(),
    })
    .strict(),
  'training:cancel': z.object({}).strict(),
  'training:status': z.object({}).strict(),
  // Give up the stopped run that `training:status` offers.
  'training:discard': z.object({}).strict(),
} as const;

/** A training run as the UI asks for it. */
export type TrainingStartRequest = z.input<(typeof MODEL_REQUESTS)['training:start']>;

/** A model's version summary for the models panel. */
export interface ModelSummary {
  id: number;
  parentId: number | null;
  preset: string;
  valDice: number | null;
  status: 'accepted' | 'rejected';
  active: boolean;
  createdAt: string;
  /** `bundled`: shipped with the app (trained on the public LGG dataset); `trained`: trained in this data folder. */
  origin: 'trained' | 'bundled';
  /** Optimiser, rate and schedule, and augmentation, from its stored config ({@link formatRecipe}). */
  recipe: string;
  /**
   * How many patients `valDice`, the model's own figure, was measured on: the card's validation patients for a
   * bundled model; null for one trained here (this folder's validation patients at the time it was trained).
   */
  ownFigurePatients: number | null;
}

/** One image at the network's input size: RGB bytes (the three sequences) and its 0/1 mask, row by row. */
export interface PreviewTile {
  image: Uint8Array;
  mask: Uint8Array;
}

/** A slice as training sees it, unaugmented and under random draws of the augmentation settings. */
export interface AugmentationPreview {
  /** Width and height of every tile (the preset's input size). */
  size: number;
  original: PreviewTile;
  draws: (PreviewTile & { flip: boolean; scale: number; rotationDegrees: number })[];
}

/** One model's score on this folder's validation patients. */
export interface ModelValidationScore {
  modelId: number;
  /** `scoring`: its predictions of the validation patients are being made (in the background). */
  state: 'scored' | 'scoring' | 'failed';
  /** Mean over the patients of the per-volume Dice (as `brainseg eval` reports it), against their current masks. */
  dice: number | null;
  /** Why scoring failed. */
  message?: string;
}

/** Every model scored on the same patients: the data folder's validation split, as its masks are now. */
export interface ValidationScores {
  /** Case ids of the validation patients (those with masks); fewer than 3 makes differences unreliable. */
  patients: string[];
  models: ModelValidationScore[];
}

/**
 * A training run that stopped before it finished — the app was closed, the machine restarted, or it was cancelled —
 * and can continue from its last epoch's checkpoint.
 */
export interface ResumableRun {
  /** ISO 8601. */
  startedAt: string;
  /** The model it fine-tunes; null for a run from scratch. */
  parentModelId: number | null;
  preset: PresetName;
  epochsDone: number;
  epochs: number;
  /** Its time budget in minutes (0: none). */
  minutes: number;
}

/** How a training run ended. */
export type TrainingDone =
  /** `baselineValDice`: the parent's validation Dice on the same masks, what the gate compared with (null: no parent). */
  | { outcome: 'trained'; modelId: number; valDice: number | null; baselineValDice: number | null; accepted: boolean }
  | { outcome: 'cancelled' }
  | { outcome: 'failed'; message: string };

/** Progress of a training run, at most ~10 per second. */
export interface TrainingProgress {
  phase: 'loading' | 'training' | 'validating';
  epoch: number;
  epochs: number;
  step: number;
  /** Steps of this epoch; {@link BUDGETED_STEPS_PER_EPOCH} when the time budget ends the run. */
  steps: number;
  loss: number | null;
  valDice: number | null;
  slicesPerSecond: number | null;
  etaSeconds: number | null;
  /** Time on the run's clock (loading included, and earlier sessions of a resumed run): what the budget counts. */
  elapsedSeconds: number;
  /** The run's time budget; null: none, its planned steps end it. */
  budgetSeconds: number | null;
  /** Every validation of the run so far, in order, where it happened ({@link ValidationPoint}). */
  validations: ValidationPoint[];
}

/**
 * One validation's mean Dice and the run's step it came after; step 0 is the starting model scored on today's masks
 * before any training (a retrain's baseline).
 */
export interface ValidationPoint {
  step: number;
  valDice: number;
}

export interface ModelResults {
  'models:list': ModelSummary[];
  'models:activate': ModelSummary[];
  'models:scores': ValidationScores;
  'training:start': { started: true };
  'training:cancel': { cancelling: boolean };
  'training:status': { running: boolean; resumable: ResumableRun | null };
  'training:discard': { discarded: boolean };
  'training:augmentation-preview': AugmentationPreview;
}

export interface ModelEvents {
  'training:progress': TrainingProgress;
  'training:done': TrainingDone;
  /** A model's validation score came in (or failed): the whole table again. */
  'models:scored': ValidationScores;
}
