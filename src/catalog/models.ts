import type { Selectable } from 'kysely';
import { writeTransaction, type CatalogDb } from './db.js';
import type { ModelsTable } from './schema.js';
import { storeModelFile, storesFiles } from './stored-files.js';

/** `trained` in this data folder, or `bundled` with the app. */
export type ModelOrigin = 'trained' | 'bundled';

/** A trained model version. */
export interface ModelVersion {
  id: number;
  parentId: number | null;
  preset: string;
  config: Record<string, unknown>;
  metrics: Record<string, unknown>;
  valDice: number | null;
  backend: string;
  file: string;
  status: 'accepted' | 'rejected';
  createdAt: string;
  active: boolean;
  origin: ModelOrigin;
  /** A bundled model's card (training patients, config, validation Dice, source, terms, checksum); null if trained here. */
  card: Record<string, unknown> | null;
}

/** What registering a model needs to know. */
export interface NewModel {
  parentId: number | null;
  preset: string;
  config: object;
  metrics: object;
  valDice: number | null;
  backend: string;
  file: string;
  status: 'accepted' | 'rejected';
  maskIds: readonly number[];
  origin?: ModelOrigin;
  card?: object | null;
  /** The weights' bytes: a team catalog stores them with the version, so every workstation can load it. */
  weights?: Buffer;
}

function toModel(row: Selectable<ModelsTable>, activeId: number | null): ModelVersion {
  return {
    id: row.id,
    parentId: row.parent_id,
    preset: row.preset,
    config: JSON.parse(row.config_json) as Record<string, unknown>,
    metrics: JSON.parse(row.metrics_json) as Record<string, unknown>,
    valDice: row.val_dice,
    backend: row.backend,
    file: row.file,
    status: row.status,
    createdAt: row.created_at,
    active: row.id === activeId,
    origin: row.origin,
    card: row.card_json === null ? null : JSON.parse(row.card_json) as Record<string, unknown>,
  };
}

export async function activeModelId(db: CatalogDb): Promise<number | null> {
  const row = await db.selectFrom('active_model').select('model_id').where('singleton', '=', 1).executeTakeFirst();
  return row?.model_id ?? null;
}

/** Model versions, newest first. */
export async function listModels(db: CatalogDb): Promise<ModelVersion[]> {
  const active = await activeModelId(db);
  return (await db.selectFrom('models').selectAll().orderBy('id', 'desc').execute()).map((r) => toModel(r, active));
}

export async function findModel(db: CatalogDb, id: number): Promise<ModelVersion | undefined> {
  const row = await db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toModel(row, await activeModelId(db));
}

/**
 * Adds a model version with the mask versions it saw, in one transaction (joining the caller's, if any);
 * `activate` makes it the active one.
 */
export async function insertModel(db: CatalogDb, model: NewModel, activate: boolean, now = new Date()): Promise<ModelVersion> {
  return writeTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('models')
      .values({
        parent_id: model.parentId,
        preset: model.preset,
        config_json: JSON.stringify(model.config),
        metrics_json: JSON.stringify(model.metrics),
        val_dice: model.valDice,
        backend: model.backend,
        file: model.file,
        status: model.status,
        created_at: now.toISOString(),
        origin: model.origin ?? 'trained',
        card_json: model.card ? JSON.stringify(model.card) : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // In chunks: a model trained on a whole dataset saw tens of thousands of mask versions, more than one
    // statement may bind.
    for (let i = 0; i < model.maskIds.length; i += MASK_LINKS_PER_INSERT) {
      const chunk = model.maskIds.slice(i, i + MASK_LINKS_PER_INSERT);
      await trx.insertInto('model_masks').values(chunk.map((maskId) => ({ model_id: row.id, mask_id: maskId }))).execute();
    }
    if (model.weights && storesFiles(trx)) await storeModelFile(trx, row.id, model.weights);
    if (activate) await setActiveModel(trx, row.id);
    return toModel(row, await activeModelId(trx));
  });
}

const MASK_LINKS_PER_INSERT = 1000;

export async function countModels(db: CatalogDb): Promise<number> {
  const row = await db.selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Makes a model the active one (a rollback when it is older). A rejected version may be activated too: the
 * user asked for it by id, and its status stays on record.
 */
export async function setActiveModel(db: CatalogDb, id: number): Promise<void> {
  const exists = await db.selectFrom('models').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw new Error(`there is no model ${id}`);
  await db
    .insertInto('active_model')
    .values({ singleton: 1, model_id: id })
    .onConflict((oc) => oc.column('singleton').doUpdateSet((eb) => ({ model_id: eb.ref('excluded.model_id') })))
    .execute();
}

/** The mask version ids a model trained on. */
export async function modelMaskIds(db: CatalogDb, modelId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('model_masks').select('mask_id').where('model_id', '=', modelId).execute();
  return new Set(rows.map((r) => r.mask_id));
}
