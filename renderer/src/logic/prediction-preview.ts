import type { PredictionPixels } from '../../../src/contract/index.js';
import type { SliceData } from '../state/use-slice-data.js';

/**
 * The slice's data with the preview of its prediction (the slice predicted alone) while its stored prediction is
 * not there yet; as it is otherwise. The stored one, once fetched, always wins.
 */
export function withPreview<T extends { data: SliceData | null }>(state: T, preview: (PredictionPixels & { sliceId: number }) | null): T {
  const { data } = state;
  if (!data || data.prediction || !preview || preview.sliceId !== data.sliceId) return state;
  const { modelId, width, height } = preview;
  return { ...state, data: { ...data, prediction: { modelId, width, height, data: preview.data }, previewed: true } };
}
