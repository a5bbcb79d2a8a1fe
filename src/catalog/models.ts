import { writeTransaction, type CatalogDb } from './db.js';

/** A row of `models`. */
export interface DbModel {
  id: number;
  parent_id: number | null;
  preset: string;
  config_json: string;
  metrics_json: string;
  val_dice: number | null;
  backend: string;
  file: string;
  status: 'accepted' | 'rejected';
  created_at: string;
  origin: ModelOrigin;
  card_json: string | null;
}

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
}

function toModel(row: DbModel, activeId: number | null): ModelVersion {
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

export function activeModelId(db: CatalogDb): number | null {
  const row = db.prepare('SELECT model_id FROM active_model WHERE singleton = 1').get() as { model_id: number } | undefined;
  return row?.model_id ?? null;
}

/** Model versions, newest first. */
export function listModels(db: CatalogDb): ModelVersion[] {
  const active = activeModelId(db);
  return (db.prepare('SELECT * FROM models ORDER BY id DESC').all() as DbModel[]).map((r) => toModel(r, active));
}

export function findModel(db: CatalogDb, id: number): ModelVersion | undefined {
  const row = db.prepare('SELECT * FROM models WHERE id = ?').get(id) as DbModel | undefined;
  return row && toModel(row, activeModelId(db));
}

/** Adds a model version with the mask versions it saw, in one transaction; `activate` makes it the active one. */
export function insertModel(db: CatalogDb, model: NewModel, activate: boolean, now = new Date()): ModelVersion {
  return writeTransaction(db, () => insertModelInTransaction(db, model, activate, now));
}

/** The body of insertModel, for callers that already hold a write transaction. */
export function insertModelInTransaction(db: CatalogDb, model: NewModel, activate: boolean, now = new Date()): ModelVersion {
  const row = db
    .prepare(
      `INSERT INTO models (parent_id, preset, config_json, metrics_json, val_dice, backend, file, status, created_at, origin, card_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      model.parentId, model.preset, JSON.stringify(model.config), JSON.stringify(model.metrics), model.valDice,
      model.backend, model.file, model.status, now.toISOString(), model.origin ?? 'trained',
      model.card ? JSON.stringify(model.card) : null,
    ) as DbModel;
  const link = db.prepare('INSERT INTO model_masks (model_id, mask_id) VALUES (?, ?)');
  for (const maskId of model.maskIds) link.run(row.id, maskId);
  if (activate) setActiveModel(db, row.id);
  return toModel(row, activeModelId(db));
}

export function countModels(db: CatalogDb): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM models').get() as { n: number }).n;
}

/**
 * Makes a model the active one (a rollback when it is older). A rejected version may be activated too: the
 * user asked for it by id, and its status stays on record.
 */
export function setActiveModel(db: CatalogDb, id: number): void {
  if (!db.prepare('SELECT 1 FROM models WHERE id = ?').get(id)) throw new Error(`there is no model ${id}`);
  db.prepare('INSERT INTO active_model (singleton, model_id) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET model_id = excluded.model_id').run(id);
}

/** The mask version ids a model trained on. */
export function modelMaskIds(db: CatalogDb, modelId: number): Set<number> {
  return new Set((db.prepare('SELECT mask_id FROM model_masks WHERE model_id = ?').all(modelId) as { mask_id: number }[]).map((r) => r.mask_id));
}
