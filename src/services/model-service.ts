import type { CatalogDb } from '../catalog/db.js';
import { listModels, setActiveModel } from '../catalog/models.js';
import { ContractError, formatRecipe, type ModelSummary } from '../contract/index.js';

/** Model versions as the models panel lists them. */
export interface ModelService {
  list(): Promise<ModelSummary[]>;
  /** Makes a version active (a rollback is the same) and lists them again. */
  activate(modelId: number): Promise<ModelSummary[]>;
}

export function createModelService(db: CatalogDb): ModelService {
  // The interactive models (click to segment) refine the automatic one's proposals: they are never the model that
  // predicts, so the panel that activates models does not list them.
  const list = async () => (await listModels(db)).filter((m) => m.config['kind'] !== 'interactive').map((m) => ({
    id: m.id, parentId: m.parentId, preset: m.preset, valDice: m.valDice, status: m.status, active: m.active, createdAt: m.createdAt, origin: m.origin,
    recipe: formatRecipe(m.config),
    ownFigurePatients: cardValidationPatients(m.card),
  }));
  return {
    list,
    async activate(modelId) {
      const model = (await listModels(db)).find((m) => m.id === modelId);
      if (model?.config['kind'] === 'interactive') throw new ContractError(`model ${modelId} is an interactive model (click to segment): it cannot be the active model`);
      await setActiveModel(db, modelId);
      return list();
    },
  };
}

/** How many validation patients a bundled model's card measured its Dice on (null without a card). */
function cardValidationPatients(card: Record<string, unknown> | null): number | null {
  const patients = card?.['validationPatients'];
  return Array.isArray(patients) ? patients.length : null;
}
