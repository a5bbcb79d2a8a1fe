// Several processes saving masks into one catalog at once (the server, CLI runs, another window; on PostgreSQL, a
// team's workstations): every save succeeds and every version is kept, in one chain. Deferred transactions used to fail here with "database is
// locked": they read first and their upgrade to writer returns BUSY at once in WAL mode, without waiting.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMaskVersions } from '../../src/catalog/masks.js';
import { importPath } from '../../src/importer/import.js';
import { listPatients } from '../../src/catalog/patients.js';
import { findSlice } from '../../src/catalog/slices.js';
import { REPO_ROOT, samplePatientFolder } from '../helpers/sample-data.js';
import { CATALOG_ENGINES, integrityProblems, openNewCatalog } from '../helpers/catalog-engines.js';

function writer(catalog: string, sliceId: number, count: number): Promise<{ code: number | null; ids: number[]; stderr: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test/helpers/mask-writer.mjs'), catalog, String(sliceId), String(count)]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, ids: stdout.split('\n').filter(Boolean).map(Number), stderr })));
}

for (const engine of CATALOG_ENGINES) describe.skipIf(!engine.available)(`concurrent writers (${engine.name})`, () => {
  it('four processes saving 100 versions each into the same slice: zero failures, all 400 kept in one chain', async () => {
    const { db, location: catalog } = await openNewCatalog(engine);
    await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
    const slice = (await findSlice(db, (await listPatients(db))[0]!.id, 12))!;
    const before = (await listMaskVersions(db, slice.id)).length;
    const runs = await Promise.all([0, 1, 2, 3].map(() => writer(catalog, slice.id, 100)));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.ids).toHaveLength(100);
    }
    const versions = await listMaskVersions(db, slice.id); // newest first
    expect(versions).toHaveLength(before + 400);
    const acknowledged = new Set(runs.flatMap((r) => r.ids));
    expect(versions.filter((v) => acknowledged.has(v.id))).toHaveLength(400);
    // One chain: each version's parent is the one saved just before it, whoever saved that.
    const chain = [...versions].reverse();
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.parentId).toBe(chain[i - 1]!.id);
    expect(await integrityProblems(db, engine)).toBe('ok');
    await db.destroy();
  }, 120_000);
});
