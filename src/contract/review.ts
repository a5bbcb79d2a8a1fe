import { z } from 'zod';
import { id } from './system.js';

// Review: the "fix next" ranking of a patient's slices, and a second reader's approvals.

export const REVIEW_REQUESTS = {
  'review:rank-slices': z.object({ patientId: id, threshold: z.number().gt(0).lt(1).optional() }).strict(),
} as const;

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
}
