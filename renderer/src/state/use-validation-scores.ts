import { useEffect, useState } from 'react';
import type { ModelSummary, RendererApi, ValidationScores } from '../../../src/contract/index.js';

/**
 * Every model's Dice on this folder's validation patients. Asked again when the model list changes (a retrain,
 * an activation) or `refresh` does (a save: a validation mask may have changed, which the core rescores from
 * stored predictions); the core scores missing ones in the background and pushes `models:scored` as each comes in.
 */
export function useValidationScores(api: RendererApi, models: readonly ModelSummary[], refresh: unknown): ValidationScores | null {
  const [scores, setScores] = useState<ValidationScores | null>(null);
  useEffect(() => api.on('models:scored', setScores), [api]);
  useEffect(() => {
    if (models.length === 0) return;
    let live = true;
    api.request('models:scores', {}).then((s) => live && setScores(s), () => undefined);
    return () => {
      live = false;
    };
  }, [api, models, refresh]);
  return scores;
}
