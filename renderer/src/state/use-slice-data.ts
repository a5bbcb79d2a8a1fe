import { useEffect, useRef, useState } from 'react';
import type { MaskPixels, PredictionPixels, RendererApi, SliceImage, SliceListing } from '../../../src/contract/index.js';
import { LruCache } from '../logic/lru-cache.js';

/** Everything the viewer draws for one slice. */
export interface SliceData {
  sliceId: number;
  image: SliceImage;
  mask: MaskPixels;
  prediction: PredictionPixels | null;
  /** The prediction is a preview of the slice alone, not yet the stored one of its volume. */
  previewed?: boolean;
}

/** Slices kept decoded around the current one; ±PREFETCH are fetched ahead so ↑/↓ draws from memory. */
const CACHE_SLICES = 48;
const PREFETCH = 3;

async function fetchSlice(api: RendererApi, sliceId: number): Promise<SliceData> {
  const [image, mask, prediction] = await Promise.all([
    api.request('slices:get-image', { sliceId }),
    api.request('masks:get-current', { sliceId }),
    api.request('predictions:get', { sliceId }),
  ]);
  return { sliceId, image, mask, prediction };
}

/**
 * The current slice's pixels, mask and prediction. `revision` changes when masks or predictions change on the
 * server (a save, a retrain, a new prediction run) and drops what was cached.
 */
export function useSliceData(api: RendererApi, slices: readonly SliceListing[], index: number, revision: number): { data: SliceData | null; error: string | null } {
  const cache = useRef(new LruCache<number, { promise: Promise<SliceData>; value?: SliceData }>(CACHE_SLICES));
  const [state, setState] = useState<{ data: SliceData | null; error: string | null }>({ data: null, error: null });
  const cleared = useRef(revision);
  if (cleared.current !== revision) {
    cache.current.clear();
    cleared.current = revision;
  }

  useEffect(() => {
    const load = (sliceId: number): Promise<SliceData> => {
      let entry = cache.current.get(sliceId);
      if (!entry) {
        const created: { promise: Promise<SliceData>; value?: SliceData } = { promise: fetchSlice(api, sliceId) };
        created.promise.then((value) => (created.value = value), () => cache.current.delete(sliceId));
        cache.current.set(sliceId, (entry = created));
      }
      return entry.promise;
    };
    const current = slices[index];
    if (!current) {
      setState({ data: null, error: null });
      return;
    }
    let live = true;
    load(current.id).then(
      (data) => live && setState({ data, error: null }),
      (error: Error) => live && setState({ data: null, error: `Slice ${current.number}: ${error.message}` }),
    );
    for (let d = 1; d <= PREFETCH; d++) {
      for (const neighbour of [slices[index + d], slices[index - d]]) if (neighbour) void load(neighbour.id).catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [api, slices, index, revision]);

  // A prefetched slice is drawn in the same render as the key press, without waiting for the effect above.
  const current = slices[index];
  const ready = current ? cache.current.get(current.id)?.value : undefined;
  return ready ? { data: ready, error: null } : state;
}
