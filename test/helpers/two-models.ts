import { bundledModelDir, ensureBundledModel } from '../../src/bundled/bundled-model.js';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { insertModel } from '../../src/catalog/models.js';
import { ensureHome, resolveHome, type HomePaths } from '../../src/home.js';

/** The shipped model's folder (resources/models/…), whatever the test setup's BRAINSEG_BUNDLED_MODEL says. */
export const SHIPPED_BUNDLE = bundledModelDir({ BRAINSEG_BUNDLED_MODEL: '' })!;

/**
 * A data folder with two models that predict differently: the shipped model (1, active) and its weights without
 * its post-processing (2, its child: no largest component, no flip), so scores on the same patients differ
 * without a training run. Two such folders hold the same two models.
 */
export async function folderWithTwoModels(dir: string): Promise<{ db: CatalogDb; home: HomePaths }> {
  const home = ensureHome(resolveHome(dir));
  const db = await openCatalog(home.catalog);
  const bundled = await ensureBundledModel(db, home, SHIPPED_BUNDLE);
  if (bundled.kind !== 'registered') throw new Error(`the shipped model did not register: ${JSON.stringify(bundled)}`);
  const parent = bundled.model;
  await insertModel(db, {
    parentId: parent.id, preset: parent.preset, config: { ...parent.config, largestComponent: false, testTimeFlip: false },
    metrics: {}, valDice: 0.9, backend: 'wasm', file: parent.file, status: 'accepted', maskIds: [], origin: 'trained',
  }, false);
  return { db, home };
}
