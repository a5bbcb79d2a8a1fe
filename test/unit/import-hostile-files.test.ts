// A corpus of hostile files beside good ones: each is skipped with a reason and the good slices beside them import.
// Before the file-admission check, the FIFO hung the import, the /dev/zero link grew memory without end, the
// absurd slice number aborted the whole dataset, the empty-but-promising TIFF imported as a black slice, and the
// non-UTF-8 name was reported as a broken link.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listPatients } from '../../src/catalog/patients.js';
import { listSlices } from '../../src/catalog/slices.js';
import { importPath } from '../../src/importer/import.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const SOURCE = 'TCGA_CS_6665_20010817';
const CASE = 'TCGA_ZZ_0009_20000101';

/** A TIFF header promising width×height 8-bit pixels with no pixel data behind it (127 bytes). */
function promisingEmptyTiff(width: number, height: number): Buffer {
  const entries: [number, number, number][] = [[256, 3, width], [257, 3, height], [258, 3, 8], [259, 3, 1], [262, 3, 1], [273, 4, 122], [277, 3, 1], [278, 3, height], [279, 4, width * height]];
  const buffer = Buffer.alloc(8 + 2 + 12 * entries.length + 4 + 5);
  buffer.write('II*\0', 0, 'latin1');
  buffer.writeUInt32LE(8, 4);
  buffer.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const o = 10 + 12 * i;
    buffer.writeUInt16LE(tag, o);
    buffer.writeUInt16LE(type, o + 2);
    buffer.writeUInt32LE(1, o + 4);
    if (type === 3) buffer.writeUInt16LE(value, o + 8);
    else buffer.writeUInt32LE(value, o + 8);
  });
  return buffer;
}

describe('import of hostile files', () => {
  it('skips each with a reason, never hangs or reads without bound, and imports the good slices beside them', async () => {
    const root = tempDir();
    const folder = path.join(root, CASE);
    mkdirSync(folder);
    const real = (n: number) => path.join(samplePatientFolder(SOURCE), `${SOURCE}_${n}`);
    const here = (name: string) => path.join(folder, `${CASE}_${name}`);
    for (const n of [1, 2, 3]) {
      copyFileSync(`${real(n)}.tif`, here(`${n}.tif`));
      copyFileSync(`${real(n)}_mask.tif`, here(`${n}_mask.tif`));
    }
    execFileSync('mkfifo', [here('4.tif')]);
    symlinkSync('/dev/zero', here('5.tif'));
    symlinkSync(here('6.tif'), here('6.tif')); // a link to itself
    writeFileSync(here('7.tif'), promisingEmptyTiff(4000, 4000));
    writeFileSync(here('8.tif'), readFileSync(`${real(8)}.tif`).subarray(0, 5_000));
    writeFileSync(here('9.tif'), '');
    copyFileSync(`${real(10)}.tif`, here('10.tif'));
    writeFileSync(here('10_mask.tif'), readFileSync(`${real(10)}_mask.tif`).subarray(0, 300)); // a damaged mask
    copyFileSync(`${real(11)}.tif`, here('99999999999999999999.tif'));
    writeFileSync(Buffer.concat([Buffer.from(here('12')), Buffer.from([0xff, 0xfe]), Buffer.from('.tif')]), readFileSync(`${real(12)}.tif`));
    // A second, healthy patient in the same dataset must import whole.
    symlinkSync(samplePatientFolder('TCGA_HT_7680_19970202'), path.join(root, 'TCGA_HT_7680_19970202'));

    const db = await openCatalog(':memory:');
    const report = await importPath(db, root);
    const reasonFor = (suffix: string) => report.skipped.find((s) => s.file.endsWith(suffix))?.reason;
    expect(reasonFor('_4.tif')).toMatch(/named pipe \(FIFO\)/);
    expect(reasonFor('_5.tif')).toMatch(/it is a device/);
    expect(reasonFor('_6.tif')).toMatch(/symbolic link loop/);
    expect(reasonFor('_7.tif')).toMatch(/truncated or damaged/);
    expect(reasonFor('_8.tif')).toMatch(/truncated or damaged/);
    expect(reasonFor('_9.tif')).toMatch(/not an image|truncated|empty/);
    expect(reasonFor('_10_mask.tif')).toMatch(/truncated or damaged/);
    expect(reasonFor('_99999999999999999999.tif')).toMatch(/slice number 99999999999999999999 is not plausible/);
    expect(report.skipped.find((s) => /not valid UTF-8/.test(s.reason))?.file).toMatch(/_12\?\?\.tif$/);
    expect(report.skipped).toHaveLength(9);

    const patients = await listPatients(db);
    expect(patients.map((p) => p.caseId).sort()).toEqual(['TCGA_HT_7680_19970202', CASE]);
    const hostile = patients.find((p) => p.caseId === CASE)!;
    expect((await listSlices(db, hostile.id)).map((s) => s.number)).toEqual([1, 2, 3]);
    expect(await listSlices(db, patients.find((p) => p.caseId !== CASE)!.id)).toHaveLength(21);
    await db.destroy();
  });
});
