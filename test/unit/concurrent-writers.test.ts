// Several processes saving masks into one catalog at once (the server, CLI runs, another window): every save
// succeeds and every version is kept, in one chain. Deferred transactions used to fail here with "database is
// locked": they read first and their upgrade to writer returns BUSY at once in WAL mode, without waiting.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listMaskVersions } from '../../src/catalog/masks.js';
import { importPath } from '../../src/importer/import.js';
import { listPatients } from '../../src/catalog/patients.js';
import { findSlice } from '../../src/catalog/slices.js';
import { REPO_ROOT, samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

function writer(catalog: string, sliceId: number, count: number): Promise<{ code: number | null; ids: number[]; stderr: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test/helpers/mask-writer.mjs'), catalog, String(sliceId), String(count)]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, ids: stdout.split('\n').filter(Boolean).map(Number), stderr })));
}

describe('concurrent writers', () => {
  it('four processes saving 100 versions each into the same slice: zero failures, all 400 kept in one chain', async () => {
    const catalog = path.join(tempDir(), 'catalog.sqlite');
    const db = openCatalog(catalog);
    await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
    const slice = findSlice(db, listPatients(db)[0]!.id, 12)!;
    const before = listMaskVersions(db, slice.id).length;
    const runs = await Promise.all([0, 1, 2, 3].map(() => writer(catalog, slice.id, 100)));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.ids).toHaveLength(100);
    }
    const versions = listMaskVersions(db, slice.id); // newest first
    expect(versions).toHaveLength(before + 400);
    const acknowledged = new Set(runs.flatMap((r) => r.ids));
    expect(versions.filter((v) => acknowledged.has(v.id))).toHaveLength(400);
    // One chain: each version's parent is the one saved just before it, whoever saved that.
    const rows = db.prepare('SELECT id, parent_id FROM masks WHERE slice_id = ? ORDER BY id').all(slice.id) as { id: number; parent_id: number | null }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.parent_id).toBe(rows[i - 1]!.id);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);
});
