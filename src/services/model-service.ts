import type { CatalogDb } from '../catalog/db.js';
import { listModels, setActiveModel } from '../catalog/models.js';
import type { ModelSummary } from '../api/contract.js';

/** Model versions as the models panel lists them. */
export interface ModelService {
  list(): ModelSummary[];
  /** Makes a version active (a rollback is the same) and lists them again. */
  activate(modelId: number): ModelSummary[];
}

export function createModelService(db: CatalogDb): ModelService {
  const list = () => listModels(db).map((m) => ({
    id: m.id, parentId: m.parentId, preset: m.preset, valDice: m.valDice, status: m.status, active: m.active, createdAt: m.createdAt, origin: m.origin,
  }));
  return {
    list,
    activate(modelId) {
      setActiveModel(db, modelId);
      return list();
    },
  };
}
