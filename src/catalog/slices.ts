import type { Selectable } from 'kysely';
import { currentVersionIdOf } from './current-version.js';
import type { CatalogDb } from './db.js';
import type { SlicesTable } from './schema.js';
import type { Slice } from './types.js';

/** A slice as the importer describes it, before it has an id. */
export type NewSlice = Omit<Slice, 'id'>;

function toSlice(row: Selectable<SlicesTable>): Slice {
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

export async function insertSlice(db: CatalogDb, slice: NewSlice): Promise<Slice> {
  const row = await db
    .insertInto('slices')
    .values({
      patient_id: slice.patientId,
      number: slice.number,
      image_path: slice.imagePath,
      content_hash: slice.contentHash,
      width: slice.width,
      height: slice.height,
      channels: slice.channels,
      has_lesion: slice.hasLesion ? 1 : 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSlice(row);
}

/** A patient's slices in slice order. */
export async function listSlices(db: CatalogDb, patientId: number): Promise<Slice[]> {
  return (await db.selectFrom('slices').selectAll().where('patient_id', '=', patientId).orderBy('number').execute()).map(toSlice);
}

export async function findSlice(db: CatalogDb, patientId: number, number: number): Promise<Slice | undefined> {
  const row = await db.selectFrom('slices').selectAll().where('patient_id', '=', patientId).where('number', '=', number).executeTakeFirst();
  return row && toSlice(row);
}

export async function findSliceById(db: CatalogDb, sliceId: number): Promise<Slice | undefined> {
  const row = await db.selectFrom('slices').selectAll().where('id', '=', sliceId).executeTakeFirst();
  return row && toSlice(row);
}

/**
 * Keeps the lesion flag in step with the current mask when a new version is saved. It is the first write of a
 * mask save: on PostgreSQL it locks the slice's row, so two saves of one slice take their turns.
 */
export async function setHasLesion(db: CatalogDb, sliceId: number, hasLesion: boolean): Promise<void> {
  await db.updateTable('slices').set({ has_lesion: hasLesion ? 1 : 0 }).where('id', '=', sliceId).execute();
}

/** A slice with its current mask version (id and stored bitmap), for jobs that read a whole patient at once. */
export interface SliceWithMask extends Slice {
  maskId: number | null;
  maskBitmap: Buffer | null;
  /** `imported`, `manual`, …: who made the current mask. */
  maskSource: string | null;
}

/** A patient's slices in order, each with its newest mask version (or none). */
export async function listSlicesWithCurrentMask(db: CatalogDb, patientId: number): Promise<SliceWithMask[]> {
  const rows = await db
    .selectFrom('slices as s')
    .leftJoin('masks as m', (join) => join.on('m.id', '=', (eb) => currentVersionIdOf(eb.ref('s.id'))))
    .selectAll('s')
    .select(['m.id as mask_id', 'm.bitmap as mask_bitmap', 'm.source as mask_source'])
    .where('s.patient_id', '=', patientId)
    .orderBy('s.number')
    .execute();
  return rows.map((row) => ({ ...toSlice(row), maskId: row.mask_id, maskBitmap: row.mask_bitmap, maskSource: row.mask_source }));
}
