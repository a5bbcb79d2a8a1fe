import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, NewerCatalogError, openCatalog } from '../../src/catalog/db.js';
import { MIGRATIONS } from '../../src/catalog/migrations/index.js';
import { saveMaskVersion } from '../../src/catalog/masks.js';
import { insertPatient } from '../../src/catalog/patients.js';
import { insertSlice } from '../../src/catalog/slices.js';
import { tempDir } from '../helpers/temp.js';

function seedSlice(db: ReturnType<typeof openCatalog>) {
  const patient = insertPatient(db, {
    caseId: 'TCGA_CS_0001_20000101', institution: 'CS', sourceFolder: '/x', clinical: null, split: 'train',
  });
  return insertSlice(db, {
    patientId: patient.id, number: 1, imagePath: '/x/a_1.tif', contentHash: 'h', width: 4, height: 2, channels: 3,
    hasLesion: false,
  });
}

describe('catalog schema', () => {
  it('creates a fresh catalog at the latest version with WAL, full sync, foreign keys and STRICT tables', () => {
    const db = openCatalog(path.join(tempDir(), 'catalog.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['active_model', 'masks', 'model_masks', 'models', 'patient_spacing', 'patients', 'predictions', 'slices']);
    for (const table of tables) expect(table.sql).toMatch(/\)\s*STRICT(, WITHOUT ROWID)?$/);
    db.close();
  });

  it('keeps data when an older catalog is migrated forward, and reopening applies nothing twice', () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const old = openCatalog(file, MIGRATIONS.slice(0, 1));
    expect(old.pragma('user_version', { simple: true })).toBe(10);
    insertPatient(old, { caseId: 'TCGA_HT_0002_20000101', institution: 'HT', sourceFolder: '/p', clinical: { Patient: 'TCGA_HT_0002' }, split: 'validation' });
    old.close();

    const db = openCatalog(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT case_id, split, clinical_json FROM patients').all()).toEqual([
      { case_id: 'TCGA_HT_0002_20000101', split: 'validation', clinical_json: '{"Patient":"TCGA_HT_0002"}' },
    ]);
    db.close();
    openCatalog(file).close(); // a second open must not try to re-create tables
  });

  it('refuses a catalog written by a newer BrainSeg and leaves the file untouched', () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 9990');
    raw.close();
    const before = readFileSync(file);
    expect(() => openCatalog(file)).toThrow(NewerCatalogError);
    expect(() => openCatalog(file)).toThrow(new RegExp(`schema version 9990.*up to ${LATEST_SCHEMA_VERSION}`));
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls back every pending migration when one fails', () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const broken = [...MIGRATIONS, { version: 9000, name: 'broken', up: 'CREATE TABLE x (a INTEGER) STRICT; SELEC oops;' }];
    expect(() => openCatalog(file, broken)).toThrow();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('makes mask versions append-only: no update, no delete', () => {
    const db = openCatalog(':memory:');
    const slice = seedSlice(db);
    const version = saveMaskVersion(db, slice.id, { width: 4, height: 2, data: new Uint8Array([0, 1, 1, 0, 0, 0, 0, 0]) }, 'manual', { operation: 'brush' });
    expect(() => db.prepare('UPDATE masks SET pixels = 0 WHERE id = ?').run(version.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM masks WHERE id = ?').run(version.id)).toThrow(/append-only/);
    expect(db.prepare('SELECT pixels FROM masks WHERE id = ?').get(version.id)).toEqual({ pixels: 2 });
    db.close();
  });

  it('keeps a patient in the split it was first given', () => {
    const db = openCatalog(':memory:');
    seedSlice(db);
    expect(() => db.prepare("UPDATE patients SET split = 'validation'").run()).toThrow(/keeps the split/);
    db.close();
  });

  it('rejects rows that break the schema (STRICT types, checks, foreign keys)', () => {
    const db = openCatalog(':memory:');
    const slice = seedSlice(db);
    const insert = db.prepare('INSERT INTO masks (slice_id, parent_id, source, created_at, pixels, bitmap) VALUES (?, NULL, ?, ?, ?, ?)');
    expect(() => insert.run(slice.id, 'guess', 'now', 0, Buffer.alloc(1))).toThrow(/CHECK/);
    expect(() => insert.run(9999, 'manual', 'now', 0, Buffer.alloc(1))).toThrow(/FOREIGN KEY/);
    expect(() => insert.run(slice.id, 'manual', 'now', 'many', Buffer.alloc(1))).toThrow(/cannot store TEXT/);
    db.close();
  });

  it('answers the hot queries from indexes', () => {
    const db = openCatalog(':memory:');
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT id FROM masks WHERE slice_id = ? ORDER BY id DESC LIMIT 1')).toMatch(/USING (COVERING )?INDEX masks_by_slice/);
    expect(plan('SELECT * FROM slices WHERE patient_id = ? ORDER BY number')).toMatch(/USING INDEX sqlite_autoindex_slices/);
    expect(plan('SELECT * FROM patients WHERE case_id = ?')).toMatch(/USING INDEX sqlite_autoindex_patients/);
    db.close();
  });
});
