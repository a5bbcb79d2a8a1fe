import { z } from 'zod';
import { id } from './system.js';

// Review: the "fix next" ranking of a patient's slices, and a second reader's approvals.

export const REVIEW_REQUESTS = {
  'review:rank-slices': z.object({ patientId: id, threshold: z.number().gt(0).lt(1).optional() }).strict(),
  // Each slice's Dice and BCE of a model's stored prediction (default: the active model's) against its current mask.
  'review:slice-metrics': z.object({ patientId: id, modelId: id.optional() }).strict(),
} as const;

/** One slice's figures of the prediction against its current mask (threshold 0.5 for Dice). */
export interface SliceScore {
  sliceId: number;
  number: number;
  /** null when neither the thresholded prediction nor the mask has a lesion pixel (nothing to overlap). */
  dice: number | null;
  /** Mean binary cross-entropy per pixel, in nats. */
  bce: number;
}

/** A patient's per-slice figures under one model; slices the model has not predicted yet are left out. */
export interface PatientSliceScores {
  modelId: number | null;
  slices: SliceScore[];
  /** Slices of the patient, and how many of them have the model's prediction. */
  totalSlices: number;
  /** Every slice stacked (the figure `brainseg eval` reports per patient); null until every slice is predicted. */
  volumeDice: number | null;
}

/** One slice's "fix next" figures. */
export interface SliceReview {
  sliceId: number;
  /** Pixels where the thresholded prediction and the mask differ. */
  disagreement: number;
  /** Sum over pixels of 4·p·(1−p): 0 where the model is certain, 1 per pixel at p = 0.5. */
  uncertainty: number;
  /** Ranking score: disagreement plus half the uncertainty (disagreement is what a correction fixes). */
  score: number;
}

/** A patient's slices worth a look under the active model, most worth first (none without a model). */
export interface SliceRanking {
  modelId: number | null;
  slices: SliceReview[];
}

/** Who approved which mask version of a slice, and when. */
export interface SliceApproval {
  versionId: number;
  reviewer: string;
  at: string;
}

export interface ReviewResults {
  'review:rank-slices': SliceRanking;
  'review:slice-metrics': PatientSliceScores;
}
