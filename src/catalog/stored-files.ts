import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { dialectOf, type CatalogDb } from './db.js';

/**
 * Whether this catalog keeps slice images and model weights itself: a team catalog (PostgreSQL) does, so every
 * workstation can read them; a SQLite catalog is one machine's and points at files on its disk.
 */
export function storesFiles(db: CatalogDb): boolean {
  return dialectOf(db) === 'postgres';
}

/** Stores an image under its content hash; the same bytes imported again are stored once. */
export async function storeImage(db: CatalogDb, contentHash: string, bytes: Buffer): Promise<void> {
  await db.insertInto('images').values({ content_hash: contentHash, bytes }).onConflict((oc) => oc.column('content_hash').doNothing()).execute();
}

/** Stores a model version's weights (in the transaction that registers it: no model without its weights). */
export async function storeModelFile(db: CatalogDb, modelId: number, bytes: Buffer): Promise<void> {
  await db.insertInto('model_files').values({ model_id: modelId, bytes }).execute();
}

/**
 * A slice's image as a file on this machine. A SQLite catalog's slices are where they were imported from; a team
 * catalog's are written once from the database into `cacheDir`, named by content hash (so a file there is never
 * stale: other bytes would have another name).
 */
export async function localImageFile(db: CatalogDb, slice: { imagePath: string; contentHash: string }, cacheDir: string): Promise<string> {
  if (!storesFiles(db)) return slice.imagePath;
  const file = path.join(cacheDir, `${slice.contentHash}${path.extname(slice.imagePath) || '.tif'}`);
  if (existsSync(file)) return file;
  const row = await db.selectFrom('images').select('bytes').where('content_hash', '=', slice.contentHash).executeTakeFirst();
  if (!row) throw new Error(`the catalog has no stored image for ${path.basename(slice.imagePath)} (imported before team mode stored images?)`);
  await writeOnce(file, row.bytes);
  return file;
}

/**
 * A model version's weights as a file on this machine: `<models>/<its file>`, written from the database the first
 * time a workstation needs a model that was trained (or registered) on another.
 */
export async function localModelFile(db: CatalogDb, model: { id: number; file: string }, modelsDir: string): Promise<string> {
  const file = path.resolve(modelsDir, model.file);
  if (existsSync(file) || !storesFiles(db)) return file;
  const row = await db.selectFrom('model_files').select('bytes').where('model_id', '=', model.id).executeTakeFirst();
  if (!row) throw new Error(`model ${model.id}'s weights are neither at ${file} nor in the catalog`);
  await writeOnce(file, row.bytes);
  return file;
}

// Atomically: a reader never sees half a file, and two processes writing the same bytes at once both end with it.
async function writeOnce(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, [bytes]);
}
