import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, NewerCatalogError, openCatalog } from '../../src/catalog/db.js';
import { MIGRATIONS } from '../../src/catalog/migrations/index.js';
import { insertPatient } from '../../src/catalog/patients.js';
import { tempDir } from '../helpers/temp.js';

// What is particular to the SQLite file: its pragmas, STRICT tables, the version in user_version, query plans. The
// rules both engines keep (append-only masks, fixed splits, checks) are in catalog-engines.test.ts.

function raw(file: string): Database.Database {
  return new Database(file, { readonly: true });
}

describe('catalog schema (SQLite file)', () => {
  it('creates a fresh catalog at the latest version with WAL, full sync, foreign keys and STRICT tables', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const db = await openCatalog(file);
    const inspect = raw(file);
    expect(inspect.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(inspect.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = inspect.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['active_model', 'masks', 'model_masks', 'model_scores', 'models', 'patient_spacing', 'patient_volumes', 'patients', 'predictions', 'slice_reviews', 'slices']);
    for (const table of tables) expect(table.sql).toMatch(/\)\s*STRICT(, WITHOUT ROWID)?$/);
    inspect.close();
    // synchronous and foreign_keys are per connection: ask the catalog's own.
    const { sql } = await import('kysely');
    expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous).toBe(2); // FULL
    expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows[0]?.foreign_keys).toBe(1);
    await db.destroy();
  });

  it('keeps data when an older catalog is migrated forward, and reopening applies nothing twice', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const old = await openCatalog(file, MIGRATIONS.slice(0, 1));
    expect(raw(file).pragma('user_version', { simple: true })).toBe(10);
    await insertPatient(old, { caseId: 'TCGA_HT_0002_20000101', institution: 'HT', sourceFolder: '/p', clinical: { Patient: 'TCGA_HT_0002' }, split: 'validation' });
    await old.destroy();

    const db = await openCatalog(file);
    await db.destroy();
    const inspect = raw(file);
    expect(inspect.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(inspect.prepare('SELECT case_id, split, clinical_json FROM patients').all()).toEqual([
      { case_id: 'TCGA_HT_0002_20000101', split: 'validation', clinical_json: '{"Patient":"TCGA_HT_0002"}' },
    ]);
    inspect.close();
    await (await openCatalog(file)).destroy(); // a second open must not try to re-create tables
  });

  it('opens a catalog written by the raw-SQL migrations of earlier releases without changing it', async () => {
    // A file made the way releases before the query layer made them (their exact DDL), with a saved mask.
    const file = path.join(tempDir(), 'catalog.sqlite');
    const legacy = new Database(file);
    legacy.exec(readFileSync(path.join(import.meta.dirname, '../fixtures/legacy-catalog-v70.sql'), 'utf8'));
    legacy.close();
    const db = await openCatalog(file);
    const { listPatients } = await import('../../src/catalog/patients.js');
    const { listMaskVersions, saveMaskVersion } = await import('../../src/catalog/masks.js');
    expect((await listPatients(db)).map((p) => p.caseId)).toEqual(['TCGA_CS_0001_20000101']);
    const saved = await saveMaskVersion(db, 1, { width: 4, height: 2, data: new Uint8Array(8).fill(1) }, 'manual', { operation: 'brush' });
    expect(saved.parentId).toBe(1);
    expect((await listMaskVersions(db, 1)).map((v) => v.id)).toEqual([saved.id, 1]);
    // Upgraded in place to the scanner-format schema: the TIFF patient has no geometry and reads as before.
    const { summarizePatients } = await import('../../src/catalog/patients.js');
    expect((await summarizePatients(db)).map((p) => [p.caseId, p.scan])).toEqual([['TCGA_CS_0001_20000101', null]]);
    expect(await db.selectFrom('patient_volumes').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('model_scores').selectAll().execute()).toEqual([]);
    await db.destroy();
  });

  it('refuses a catalog written by a newer BrainSeg and leaves the file untouched', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 9990');
    db.close();
    const before = readFileSync(file);
    await expect(openCatalog(file)).rejects.toThrow(NewerCatalogError);
    await expect(openCatalog(file)).rejects.toThrow(new RegExp(`schema version 9990.*up to ${LATEST_SCHEMA_VERSION}`));
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls back every pending migration when one fails', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const { sql } = await import('kysely');
    const broken = [...MIGRATIONS, { version: 9000, name: 'broken', up: async ({ db }: { db: import('kysely').Kysely<unknown> }) => { await sql`SELEC oops`.execute(db); } }];
    await expect(openCatalog(file, broken)).rejects.toThrow();
    const inspect = raw(file);
    expect(inspect.pragma('user_version', { simple: true })).toBe(0);
    expect(inspect.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table'").get()).toEqual({ n: 0 });
    inspect.close();
  });

  it('refuses a value of the wrong type (STRICT)', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    await (await openCatalog(file)).destroy();
    const db = new Database(file);
    db.pragma('foreign_keys = OFF');
    expect(() => db.prepare("INSERT INTO masks (slice_id, parent_id, source, created_at, pixels, bitmap) VALUES (1, NULL, 'manual', 'now', 'many', x'00')").run()).toThrow(/cannot store TEXT/);
    db.close();
  });

  it('answers the hot queries from indexes', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    await (await openCatalog(file)).destroy();
    const db = raw(file);
    const plan = (query: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all(1) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT id FROM masks WHERE slice_id = ? ORDER BY id DESC LIMIT 1')).toMatch(/USING (COVERING )?INDEX masks_by_slice/);
    expect(plan('SELECT * FROM slices WHERE patient_id = ? ORDER BY number')).toMatch(/USING INDEX sqlite_autoindex_slices/);
    expect(plan('SELECT * FROM patients WHERE case_id = ?')).toMatch(/USING INDEX sqlite_autoindex_patients/);
    db.close();
  });
});
