import { z } from 'zod';
import { id } from './system.js';

// Predictions: a slice's stored prediction, a patient's prediction run, and its progress, preview and end.

export const PREDICTION_REQUESTS = {
  'predictions:get': z.object({ sliceId: id, modelId: id.optional() }).strict(),
  // ifMissing: only when some slice of the patient has no prediction by that model (opening a patient).
  // sliceId: the slice on screen, whose own prediction comes first as `predictions:preview`.
  'predictions:run': z.object({ patientId: id, modelId: id.optional(), ifMissing: z.boolean().optional(), sliceId: id.optional() }).strict(),
} as const;

/** A finished prediction run of one patient (0 slices: nothing was missing). */
export interface PredictionRun {
  patientId: number;
  modelId: number;
  slices: number;
  seconds: number;
}

/** A stored prediction: 8-bit probabilities (0–255) at the slice's resolution. */
export interface PredictionPixels {
  modelId: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface PredictionResults {
  'predictions:get': PredictionPixels | null;
  'predictions:run': PredictionRun;
}

export interface PredictionEvents {
  'predictions:progress': { patientId: number; done: number; total: number };
  /**
   * The slice on screen predicted alone, ahead of its patient's volume (before the volume-level step, so it may show
   * specks the stored prediction drops): shown until `predictions:done`.
   */
  'predictions:preview': PredictionPixels & { patientId: number; sliceId: number };
  /** A patient's predictions are stored; after an accepted retrain, `previousModelId` is the model it replaced. */
  'predictions:done': PredictionRun & { previousModelId?: number | null };
  /** The predictions that follow an accepted retrain failed (the new model is active all the same). */
  'predictions:failed': { patientId: number; message: string };
}
