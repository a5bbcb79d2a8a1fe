import type { TrainingProgress } from '../contract/index.js';
import type { BackendChoice } from './backends/backend-choice.js';
import type { TrainConfig } from './config.js';

export type { TrainingProgress };

// The jobs the compute process runs and what it reports: plain data, sent whole from the host (the compute process never
// opens the catalog).

/** One slice as the compute process needs it: where the image is, and the current mask (encoded, as stored). */
export interface JobSlice {
  sliceId: number;
  number: number;
  imagePath: string;
  width: number;
  height: number;
  /** The current mask version's stored bitmap, or null for an unannotated slice. */
  mask: Uint8Array | null;
  maskVersionId: number | null;
  /** Whether the current mask was edited since the parent model was trained (retraining weighs these up). */
  edited: boolean;
}

/** A patient's slices, in slice order. */
export interface JobPatient {
  patientId: number;
  caseId: string;
  /** Which side of the patient-level split: training validates on `validation`. */
  split: 'train' | 'validation';
  slices: JobSlice[];
}

/** A training job. The host reads the catalog and sends everything: the compute process never opens the catalog. */
export interface TrainJob {
  config: TrainConfig;
  backend: BackendChoice;
  patients: JobPatient[];
  /** Folder for this run's checkpoint and best model. */
  runDir: string;
  /** Start from these weights (retraining) instead of a fresh network. */
  initModelFile: string | null;
  /**
   * The interactive model only: continue training these interactive weights (a second run on top of a first)
   * instead of growing new click channels onto `initModelFile`, which still gives the proposals.
   */
  warmStartModelFile?: string | null;
  /** Continue an interrupted run from its checkpoint. */
  resume: boolean;
}

/** A prediction job: run a model over patients' slices and send back 8-bit probability maps. */
export interface PredictJob {
  backend: BackendChoice;
  modelFile: string;
  patients: JobPatient[];
  largestComponent: boolean;
  /** Average each slice's prediction with that of its mirror image (test-time augmentation). */
  testTimeFlip: boolean;
  /** Someone is waiting for it (a patient just opened): a warm predictor runs it ahead of background jobs. */
  urgent?: boolean;
  /** The slice on screen: its own prediction is sent first, as a preview, before the volume's. */
  previewSliceId?: number;
  /** Only that preview: the volume is someone else's (a team's worker predicts and stores it). */
  previewOnly?: boolean;
}


/** What the best epoch of a finished run achieved. */
export interface TrainingResult {
  /** The best epoch's model; null only when the run was cancelled before its first epoch ended. */
  modelFile: string | null;
  valDice: number | null;
  /** The starting model's validation Dice on the same masks (retraining only). */
  baselineValDice: number | null;
  bestEpoch: number;
  epochsRun: number;
  history: { epoch: number; loss: number; valDice: number | null }[];
  seconds: number;
  stoppedBy: 'epochs' | 'time' | 'cancel';
}
