import type { CatalogDb } from './db.js';
import type { DbSlice } from './rows.js';
import type { Slice } from './types.js';

/** A slice as the importer describes it, before it has an id. */
export type NewSlice = Omit<Slice, 'id'>;

function toSlice(row: DbSlice): Slice {
  return {
    id: row.id,
    patientId: row.patient_id,
    number: row.number,
    imagePath: row.image_path,
    contentHash: row.content_hash,
    width: row.width,
    height: row.height,
    channels: row.channels,
    hasLesion: row.has_lesion === 1,
  };
}

export function insertSlice(db: CatalogDb, slice: NewSlice): Slice {
  const row = db
    .prepare(
      `INSERT INTO slices (patient_id, number, image_path, content_hash, width, height, channels, has_lesion)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      slice.patientId,
      slice.number,
      slice.imagePath,
      slice.contentHash,
      slice.width,
      slice.height,
      slice.channels,
      slice.hasLesion ? 1 : 0,
    ) as DbSlice;
  return toSlice(row);
}

/** A patient's slices in slice order. */
export function listSlices(db: CatalogDb, patientId: number): Slice[] {
  return (db.prepare('SELECT * FROM slices WHERE patient_id = ? ORDER BY number').all(patientId) as DbSlice[]).map(
    toSlice,
  );
}

export function findSlice(db: CatalogDb, patientId: number, number: number): Slice | undefined {
  const row = db.prepare('SELECT * FROM slices WHERE patient_id = ? AND number = ?').get(patientId, number) as
    | DbSlice
    | undefined;
  return row && toSlice(row);
}

/** Keeps the lesion flag in step with the current mask after a new version is saved. */
export function setHasLesion(db: CatalogDb, sliceId: number, hasLesion: boolean): void {
  db.prepare('UPDATE slices SET has_lesion = ? WHERE id = ?').run(hasLesion ? 1 : 0, sliceId);
}

/** A slice with its current mask version (id and stored bitmap), for jobs that read a whole patient at once. */
export interface SliceWithMask extends Slice {
  maskId: number | null;
  maskBitmap: Buffer | null;
  /** `imported`, `manual`, …: who made the current mask. */
  maskSource: string | null;
}

/** A patient's slices in order, each with its newest mask version (or none). */
export function listSlicesWithCurrentMask(db: CatalogDb, patientId: number): SliceWithMask[] {
  const rows = db
    .prepare(
      `SELECT s.*, m.id AS mask_id, m.bitmap AS mask_bitmap, m.source AS mask_source
         FROM slices s
         LEFT JOIN masks m ON m.id = (SELECT id FROM masks WHERE slice_id = s.id ORDER BY id DESC LIMIT 1)
        WHERE s.patient_id = ?
        ORDER BY s.number`,
    )
    .all(patientId) as (DbSlice & { mask_id: number | null; mask_bitmap: Buffer | null; mask_source: string | null })[];
  return rows.map((row) => ({ ...toSlice(row), maskId: row.mask_id, maskBitmap: row.mask_bitmap, maskSource: row.mask_source }));
}

export function findSliceById(db: CatalogDb, sliceId: number): Slice | undefined {
  const row = db.prepare('SELECT * FROM slices WHERE id = ?').get(sliceId) as DbSlice | undefined;
  return row && toSlice(row);
}
