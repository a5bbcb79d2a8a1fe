import type { PredictionPixels } from '../../../src/contract/index.js';
import type { SliceData } from '../state/use-slice-data.js';

/** A slice's prediction sent ahead of its volume's (the slice predicted alone). */
export type SlicePreview = PredictionPixels & { sliceId: number };

/**
 * The slice's data with the preview of its prediction (the slice predicted alone: the one on screen when the patient
 * was opened, or one of its neighbours) while its stored prediction is not there yet; as it is otherwise. The stored
 * one, once fetched, always wins.
 */
export function withPreview<T extends { data: SliceData | null }>(state: T, previews: ReadonlyMap<number, SlicePreview>): T {
  const { data } = state;
  const preview = data && previews.get(data.sliceId);
  if (!data || data.prediction || !preview) return state;
  const { modelId, width, height } = preview;
  return { ...state, data: { ...data, prediction: { modelId, width, height, data: preview.data }, previewed: true } };
}
