import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listPatients } from '../../src/catalog/patients.js';
import { listSlices } from '../../src/catalog/slices.js';
import { importPath } from '../../src/importer/import.js';
import { BAD_SLICES, hugeHeaderTiff, makePatientWithBadInputs } from '../fixtures/bad-inputs.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

interface Report {
  patients: number;
  slices: number;
  skipped: { file: string; reason: string }[];
}

describe('import of bad input', () => {
  it('reports and skips each bad file, imports everything else, and exits 0', async () => {
    const { folder, goodSlices } = await makePatientWithBadInputs(tempDir());
    const home = tempDir();
    const { code, json } = await runCliJson<Report>(home, ['import', folder]);
    expect(code).toBe(0);
    expect(json.slices).toBe(goodSlices);
    for (const [kind, { number, reason }] of Object.entries(BAD_SLICES)) {
      const entry = json.skipped.find((s) => path.basename(s.file).startsWith(`TCGA_ZZ_0001_20000101_${number}`));
      expect(entry, kind).toBeDefined();
      expect(entry!.reason, kind).toMatch(reason);
    }
    expect(json.skipped).toHaveLength(Object.keys(BAD_SLICES).length);

    const db = await openCatalog(path.join(home, 'catalog.sqlite'));
    const numbers = (await listSlices(db, (await listPatients(db))[0]!.id)).map((s) => s.number);
    expect(numbers).toEqual(Array.from({ length: goodSlices }, (_, i) => i + 1));
    await db.destroy();
  });

  it('exits non-zero, writes no patient, and says why when nothing can be imported', async () => {
    const folder = path.join(tempDir(), 'TCGA_ZZ_0002_20000101');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'TCGA_ZZ_0002_20000101_1.tif'), 'not a tiff');
    writeFileSync(path.join(folder, 'TCGA_ZZ_0002_20000101_2.tif'), hugeHeaderTiff());
    const home = tempDir();
    const run = await runCli(home, ['import', folder]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Nothing could be imported/);
    expect(run.stdout).toMatch(/_1\.tif: not an image/);
    expect((await runCliJson(home, ['info'])).json).toMatchObject({ patients: [] });
  });

  it('explains a missing path or a file given instead of a folder', async () => {
    const home = tempDir();
    const missing = await runCli(home, ['import', '/no/such/folder']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such folder: \/no\/such\/folder/);
    expect(missing.stderr).not.toMatch(/ENOENT/);
    const empty = await runCli(home, ['import', tempDir()]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/nothing to import in .*: no LGG slice images \(\.tif\), NIfTI volumes \(\.nii, \.nii\.gz\) or DICOM files/);
    const file = await runCli(home, ['import', path.join(samplePatientFolder('TCGA_CS_6665_20010817'), 'TCGA_CS_6665_20010817_1.tif')]);
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(/is not a folder/);
  });

  // Root reads every file whatever its mode, so this case only runs as a normal user; broken links and folders
  // named .tif cover unreadable files for root.
  it.skipIf(process.getuid?.() === 0)('skips a file it may not read (as a normal user)', async () => {
    const { folder } = await makePatientWithBadInputs(tempDir());
    const locked = path.join(folder, 'TCGA_ZZ_0001_20000101_3.tif');
    chmodSync(locked, 0);
    const report = await importPath(await openCatalog(':memory:'), folder);
    expect(report.skipped).toContainEqual({ file: locked, reason: expect.stringMatching(/permission denied/) });
  });

  it('leaves nothing half-written when writing a patient fails midway', async () => {
    const db = await openCatalog(':memory:');
    // Make the catalog fail on the 5th slice's insert, after the patient and four slices went in.
    await sql`CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON slices WHEN NEW.number = 5 BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(db);
    const failed = await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
    expect(failed.patients).toBe(0);
    expect(failed.skipped).toContainEqual({ file: expect.stringMatching(/TCGA_CS_6665_20010817$/), reason: 'patient not imported: disk full' });
    for (const table of ['patients', 'slices', 'masks']) {
      expect((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db)).rows, table).toEqual([{ n: 0 }]);
    }
    await sql`DROP TRIGGER fail_midway`.execute(db);
    expect((await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'))).patients).toBe(1);
    await db.destroy();
  });

  it('keeps memory bounded when headers lie about their size', async () => {
    const dir = path.join(tempDir(), 'TCGA_ZZ_0003_20000101');
    mkdirSync(dir);
    for (let i = 1; i <= 40; i++) writeFileSync(path.join(dir, `TCGA_ZZ_0003_20000101_${i}.tif`), hugeHeaderTiff());
    const before = process.memoryUsage().rss;
    const report = await importPath(await openCatalog(':memory:'), dir);
    expect(report.skipped).toHaveLength(40);
    // 40 decodes of a claimed 10-gigapixel image would need 400 GB; refusing them must cost next to nothing.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });
});
