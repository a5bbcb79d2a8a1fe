import { useCallback, useEffect, useState } from 'react';
import type { ModelSummary, RendererApi } from '../../../src/contract/index.js';

/** The model versions and the active one. */
export interface Models {
  models: ModelSummary[];
  activeModelId: number | null;
  refreshModels(): Promise<void>;
  /** Makes a version active; resolves with the new list. */
  activate(modelId: number): Promise<ModelSummary[]>;
}

export function useModels(api: RendererApi, report: (error: unknown) => void): Models {
  const [models, setModels] = useState<ModelSummary[]>([]);
  const refreshModels = useCallback(() => api.request('models:list', {}).then(setModels, report), [api, report]);
  const activate = useCallback(async (modelId: number) => {
    const list = await api.request('models:activate', { modelId });
    setModels(list);
    return list;
  }, [api]);
  useEffect(() => void refreshModels(), [refreshModels]);
  return { models, activeModelId: models.find((m) => m.active)?.id ?? null, refreshModels, activate };
}
