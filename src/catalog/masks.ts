import { sql, type Selectable } from 'kysely';
import { countForeground, decodeMask, encodeMask } from '../imaging/mask-codec.js';
import { currentVersionIdOf } from './current-version.js';
import { dialectOf, writeTransaction, type CatalogDb } from './db.js';
import type { MasksTable } from './schema.js';
import { setHasLesion } from './slices.js';
import { userInfo } from 'node:os';
import type { MaskBox, MaskClick } from '../contract/masks.js';
import type { BinaryMask, MaskOperation, MaskSource, MaskVersion } from './types.js';

const META_COLUMNS = ['id', 'slice_id', 'parent_id', 'source', 'created_at', 'pixels', 'operation', 'author', 'clicks_json', 'box_json'] as const;

type MaskMetaRow = Pick<Selectable<MasksTable>, (typeof META_COLUMNS)[number]>;

function toVersion(row: MaskMetaRow): MaskVersion {
  return {
    id: row.id,
    sliceId: row.slice_id,
    parentId: row.parent_id,
    source: row.source as MaskSource,
    createdAt: row.created_at,
    operation: row.operation as MaskOperation | null,
    author: row.author,
    pixels: row.pixels,
    clicks: row.clicks_json ? (JSON.parse(row.clicks_json) as MaskVersion['clicks']) : null,
    box: row.box_json ? (JSON.parse(row.box_json) as MaskVersion['box']) : null,
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
 * Who saves, as the catalog records it: on PostgreSQL the database role the person connected as (the database did
 * the authentication, so it is the name to trust); on a SQLite file, the OS user. As a value to insert (no round
 * trip on PostgreSQL)…
 */
function authorExpression(db: CatalogDb) {
  return dialectOf(db) === 'postgres' ? sql<string>`current_user` : currentAuthor();
}

/** …and as a name, for comparing (a reviewer with a version's author). */
export async function currentPerson(db: CatalogDb): Promise<string> {
  if (dialectOf(db) !== 'postgres') return currentAuthor();
  return (await db.selectNoFrom(sql<string>`current_user`.as('name')).executeTakeFirstOrThrow()).name;
}

/**
 * Appends a mask version on top of the slice's current one and returns it. The caller's transaction (if any)
 * makes it atomic with other writes; on its own it is one durable commit.
 */
export async function saveMaskVersion(
  db: CatalogDb,
  sliceId: number,
  mask: BinaryMask,
  source: MaskSource,
  provenance: { operation: MaskOperation; author?: string; now?: Date; clicks?: readonly MaskClick[]; box?: MaskBox },
): Promise<MaskVersion> {
  const bitmap = encodeMask(mask);
  const pixels = countForeground(mask.data);
  const now = provenance.now ?? new Date();
  return writeTransaction(db, async (trx) => {
    // The slice's row is written first so that the parent read below is the newest committed version on either
    // engine (SQLite holds the write lock already; PostgreSQL now holds the row's lock).
    await setHasLesion(trx, sliceId, pixels > 0);
    const parent = await currentMaskVersion(trx, sliceId);
    const row = await trx
      .insertInto('masks')
      .values({
        slice_id: sliceId,
        parent_id: parent?.id ?? null,
        source,
        created_at: now.toISOString(),
        pixels,
        bitmap,
        operation: provenance.operation,
        clicks_json: provenance.clicks ? JSON.stringify(provenance.clicks) : null,
        box_json: provenance.box ? JSON.stringify(provenance.box) : null,
        author: provenance.author ?? authorExpression(trx),
      })
      .returning(META_COLUMNS)
      .executeTakeFirstOrThrow();
    return toVersion(row);
  });
}

/** A slice's versions, newest first. */
export async function listMaskVersions(db: CatalogDb, sliceId: number): Promise<MaskVersion[]> {
  return (await db.selectFrom('masks').select(META_COLUMNS).where('slice_id', '=', sliceId).orderBy('id', 'desc').execute()).map(toVersion);
}

/** The newest version of a slice's mask, if it has one. */
export async function currentMaskVersion(db: CatalogDb, sliceId: number): Promise<MaskVersion | undefined> {
  const row = await db.selectFrom('masks').select(META_COLUMNS).where('slice_id', '=', sliceId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && toVersion(row);
}

/** The pixels of one version. */
export async function readMaskBitmap(db: CatalogDb, versionId: number): Promise<BinaryMask> {
  const row = await db.selectFrom('masks').select('bitmap').where('id', '=', versionId).executeTakeFirst();
  if (!row) throw new Error(`mask version ${versionId} does not exist`);
  return decodeMask(row.bitmap);
}

/** The current mask's pixels, or an empty mask of the given size when the slice has none yet. */
export async function readCurrentMask(db: CatalogDb, sliceId: number, width: number, height: number): Promise<BinaryMask> {
  const current = await currentMaskVersion(db, sliceId);
  return current ? readMaskBitmap(db, current.id) : { width, height, data: new Uint8Array(width * height) };
}

export async function findMaskVersion(db: CatalogDb, versionId: number): Promise<MaskVersion | undefined> {
  const row = await db.selectFrom('masks').select(META_COLUMNS).where('id', '=', versionId).executeTakeFirst();
  return row && toVersion(row);
}

/** The ids of a patient's slices that have at least one manual mask version (a radiologist's edit). */
export async function editedSliceIds(db: CatalogDb, patientId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('masks as m')
    .innerJoin('slices as s', 's.id', 'm.slice_id')
    .select('m.slice_id as id')
    .distinct()
    .where('s.patient_id', '=', patientId)
    .where('m.source', '=', 'manual')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The foreground pixel count of each slice's current mask, for one patient (slices without a mask are absent). */
export async function currentMaskPixels(db: CatalogDb, patientId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('masks as m')
    .innerJoin('slices as s', 's.id', 'm.slice_id')
    .select(['m.slice_id as sliceId', 'm.pixels as pixels'])
    .where('s.patient_id', '=', patientId)
    .where('m.id', '=', (eb) => currentVersionIdOf(eb.ref('m.slice_id')))
    .execute();
  return new Map(rows.map((r) => [r.sliceId, r.pixels]));
}
