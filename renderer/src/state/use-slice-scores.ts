import { useEffect, useState } from 'react';
import type { PatientSliceScores, RendererApi, SliceScore } from '../../../src/contract/index.js';

/** A patient's per-slice Dice and BCE under a model, by slice id (the core computes them from stored predictions). */
export interface SliceScoresView {
  bySlice: ReadonlyMap<number, SliceScore>;
  scores: PatientSliceScores | null;
}

const NONE: SliceScoresView = { bySlice: new Map(), scores: null };

/**
 * Reads the figures while `enabled`; `refresh` is anything that changes when they may have (a save, a
 * prediction): a new value asks again. `modelId` undefined: the active model.
 */
export function useSliceScores(api: RendererApi, patientId: number | null, enabled: boolean, refresh: unknown, modelId?: number): SliceScoresView {
  const [view, setView] = useState<SliceScoresView>(NONE);
  useEffect(() => {
    if (!enabled || patientId === null) {
      setView(NONE);
      return;
    }
    let live = true;
    api.request('review:slice-metrics', { patientId, ...(modelId !== undefined && { modelId }) }).then((scores) => {
      if (live) setView({ scores, bySlice: new Map(scores.slices.map((s) => [s.sliceId, s])) });
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [api, patientId, enabled, refresh, modelId]);
  return view;
}

