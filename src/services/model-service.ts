import type { CatalogDb } from '../catalog/db.js';
import { listModels, setActiveModel } from '../catalog/models.js';
import { formatRecipe, type ModelSummary } from '../contract/index.js';

/** Model versions as the models panel lists them. */
export interface ModelService {
  list(): Promise<ModelSummary[]>;
  /** Makes a version active (a rollback is the same) and lists them again. */
  activate(modelId: number): Promise<ModelSummary[]>;
}

export function createModelService(db: CatalogDb): ModelService {
  const list = async () => (await listModels(db)).map((m) => ({
    id: m.id, parentId: m.parentId, preset: m.preset, valDice: m.valDice, status: m.status, active: m.active, createdAt: m.createdAt, origin: m.origin,
    recipe: formatRecipe(m.config),
  }));
  return {
    list,
    async activate(modelId) {
      await setActiveModel(db, modelId);
      return list();
    },
  };
}
