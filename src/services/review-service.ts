import type { CatalogDb } from '../catalog/db.js';
import { readCurrentMask } from '../catalog/masks.js';
import { activeModelId } from '../catalog/models.js';
import { findPrediction, listReviewInputs } from '../catalog/predictions.js';
import type { SliceRanking } from '../contract/index.js';
import { rankSlices, reviewSlice, type SliceReview } from '../review/rank-slices.js';

/** The "fix next" ranking of a patient's slices. */
export interface ReviewService {
  /** The patient's slices ranked under the active model; slices unchanged since the last call are not re-scored. */
  ranking(patientId: number, threshold?: number): Promise<SliceRanking>;
}

/**
 * Ranks slices by the model's disagreement with the mask and its uncertainty. Scoring a slice decodes its mask and
 * prediction, so scores are kept per (model, threshold, slice) and reused while the slice's current mask version
 * and its prediction's timestamp are the same — read fresh from the catalog every call, so a save by the CLI or
 * another process is seen too. After a stroke only the stroked slice is scored again.
 */
export function createReviewService(db: CatalogDb): ReviewService {
  const scores = new Map<string, { key: string; review: SliceReview | null }>();
  return {
    async ranking(patientId, threshold = 0.5) {
      const model = await activeModelId(db);
      if (model === null) return { modelId: null, slices: [] };
      const reviews: SliceReview[] = [];
      for (const slice of await listReviewInputs(db, patientId, model)) {
        const id = `${model}:${threshold}:${slice.sliceId}`;
        const key = `${slice.maskVersionId}:${slice.predictedAt}`;
        let entry = scores.get(id);
        if (entry?.key !== key) {
          const prediction = slice.predictedAt === null ? undefined : await findPrediction(db, slice.sliceId, model);
          const mask = prediction && await readCurrentMask(db, slice.sliceId, slice.width, slice.height);
          entry = { key, review: prediction && mask ? reviewSlice(slice.sliceId, mask.data, prediction.probabilities, threshold) : null };
          scores.set(id, entry);
        }
        if (entry.review) reviews.push(entry.review);
      }
      return { modelId: model, slices: rankSlices(reviews) };
    },
  };
}
