import { countForeground, decodeMask, encodeMask } from '../imaging/mask-codec.js';
import { writeTransaction, type CatalogDb } from './db.js';
import type { DbMaskVersion } from './rows.js';
import { setHasLesion } from './slices.js';
import { userInfo } from 'node:os';
import type { BinaryMask, MaskOperation, MaskSource, MaskVersion } from './types.js';

type DbMaskMeta = Omit<DbMaskVersion, 'bitmap'>;

const META_COLUMNS = 'id, slice_id, parent_id, source, created_at, pixels, operation, author';

function toVersion(row: DbMaskMeta): MaskVersion {
  return {
    id: row.id,
    sliceId: row.slice_id,
    parentId: row.parent_id,
    source: row.source as MaskSource,
    createdAt: row.created_at,
    operation: row.operation as MaskOperation | null,
    author: row.author,
    pixels: row.pixels,
  };
}

let author: string | null = null;

/** The OS user saving an edit: the person at this workstation (or the account `brainseg serve` runs as). Asked once. */
export function currentAuthor(): string {
  if (author === null) {
    try {
      author = userInfo().username;
    } catch {
      author = process.env['USER'] ?? 'unknown';
    }
  }
  return author;
}

/**
 * Appends a mask version on top of the slice's current one and returns it. The caller's transaction (if any)
 * makes it atomic with other writes; on its own it is one durable commit.
 */
export function saveMaskVersion(
  db: CatalogDb,
  sliceId: number,
  mask: BinaryMask,
  source: MaskSource,
  provenance: { operation: MaskOperation; author?: string; now?: Date },
): MaskVersion {
  const bitmap = encodeMask(mask);
  const pixels = countForeground(mask.data);
  const now = provenance.now ?? new Date();
  return writeTransaction(db, () => {
    const parent = currentMaskVersion(db, sliceId);
    const row = db
      .prepare(
        `INSERT INTO masks (slice_id, parent_id, source, created_at, pixels, bitmap, operation, author)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${META_COLUMNS}`,
      )
      .get(sliceId, parent?.id ?? null, source, now.toISOString(), pixels, bitmap, provenance.operation, provenance.author ?? currentAuthor()) as DbMaskMeta;
    setHasLesion(db, sliceId, pixels > 0);
    return toVersion(row);
  });
}

/** A slice's versions, newest first. */
export function listMaskVersions(db: CatalogDb, sliceId: number): MaskVersion[] {
  return (
    db.prepare(`SELECT ${META_COLUMNS} FROM masks WHERE slice_id = ? ORDER BY id DESC`).all(sliceId) as DbMaskMeta[]
  ).map(toVersion);
}

/** The newest version of a slice's mask, if it has one. */
export function currentMaskVersion(db: CatalogDb, sliceId: number): MaskVersion | undefined {
  const row = db
    .prepare(`SELECT ${META_COLUMNS} FROM masks WHERE slice_id = ? ORDER BY id DESC LIMIT 1`)
    .get(sliceId) as DbMaskMeta | undefined;
  return row && toVersion(row);
}

/** The pixels of one version. */
export function readMaskBitmap(db: CatalogDb, versionId: number): BinaryMask {
  const row = db.prepare('SELECT bitmap FROM masks WHERE id = ?').get(versionId) as { bitmap: Buffer } | undefined;
  if (!row) throw new Error(`mask version ${versionId} does not exist`);
  return decodeMask(row.bitmap);
}

/** The current mask's pixels, or an empty mask of the given size when the slice has none yet. */
export function readCurrentMask(db: CatalogDb, sliceId: number, width: number, height: number): BinaryMask {
  const current = currentMaskVersion(db, sliceId);
  return current ? readMaskBitmap(db, current.id) : { width, height, data: new Uint8Array(width * height) };
}

export function findMaskVersion(db: CatalogDb, versionId: number): MaskVersion | undefined {
  const row = db.prepare(`SELECT ${META_COLUMNS} FROM masks WHERE id = ?`).get(versionId) as DbMaskMeta | undefined;
  return row && toVersion(row);
}

/** The ids of a patient's slices that have at least one manual mask version (a radiologist's edit). */
export function editedSliceIds(db: CatalogDb, patientId: number): Set<number> {
  const rows = db
    .prepare(
      `SELECT DISTINCT m.slice_id AS id FROM masks m JOIN slices s ON s.id = m.slice_id
        WHERE s.patient_id = ? AND m.source = 'manual'`,
    )
    .all(patientId) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/** The foreground pixel count of each slice's current mask, for one patient (slices without a mask are absent). */
export function currentMaskPixels(db: CatalogDb, patientId: number): Map<number, number> {
  const rows = db
    .prepare(
      `SELECT m.slice_id AS sliceId, m.pixels AS pixels FROM masks m JOIN slices s ON s.id = m.slice_id
        WHERE s.patient_id = ? AND m.id = (SELECT MAX(id) FROM masks WHERE slice_id = m.slice_id)`,
    )
    .all(patientId) as { sliceId: number; pixels: number }[];
  return new Map(rows.map((r) => [r.sliceId, r.pixels]));
}
