import { copyFileSync, cpSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listMaskVersions, readCurrentMask } from '../../src/catalog/masks.js';
import { findPatientByCaseId, listPatients } from '../../src/catalog/patients.js';
import { listSlices } from '../../src/catalog/slices.js';
import { importPath } from '../../src/importer/import.js';
import { runCliJson } from '../helpers/cli.js';
import { makeSampleSubset, sampleFiles, samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const TWO_PATIENTS = ['TCGA_CS_6665_20010817', 'TCGA_HT_7473_19970826'];

/** Counts lesion slices straight from the mask files, independently of the importer. */
async function lesionSlicesOnDisk(caseId: string): Promise<number> {
  let count = 0;
  for (const name of sampleFiles(caseId).masks) {
    const { data } = await sharp(path.join(samplePatientFolder(caseId), name)).raw().toBuffer({ resolveWithObject: true });
    if (data.some((v) => v > 0)) count++;
  }
  return count;
}

describe('import of real patients', () => {
  it('imports a dataset root with counts that match the files on disk', async () => {
    const root = makeSampleSubset(path.join(tempDir(), 'kaggle_3m'), TWO_PATIENTS);
    const home = tempDir();
    const { code, json } = await runCliJson(home, ['import', root]);
    expect(code).toBe(0);

    const images = TWO_PATIENTS.reduce((n, id) => n + sampleFiles(id).images.length, 0);
    const masks = TWO_PATIENTS.reduce((n, id) => n + sampleFiles(id).masks.length, 0);
    let lesions = 0;
    for (const id of TWO_PATIENTS) lesions += await lesionSlicesOnDisk(id);
    expect(json).toMatchObject({ patients: 2, slices: images, masks, lesionSlices: lesions, skipped: [] });
    expect(typeof json['seconds']).toBe('number');

    const info = await runCliJson<{ patients: { id: string; slices: number; lesionSlices: number; split: string; editedSlices: number }[] }>(home, ['info']);
    expect(info.json.patients.map((p) => p.id)).toEqual(TWO_PATIENTS);
    expect(info.json.patients.map((p) => p.split).sort()).toEqual(['train', 'validation']);
    for (const p of info.json.patients) {
      expect(p.slices).toBe(sampleFiles(p.id).images.length);
      expect(p.lesionSlices).toBe(await lesionSlicesOnDisk(p.id));
      expect(p.editedSlices).toBe(0);
    }
  });

  it('sorts slices numerically, pairs masks by stem, and keeps clinical data and the institution', async () => {
    const db = await openCatalog(':memory:');
    await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
    const patient = (await findPatientByCaseId(db, 'TCGA_CS_6665_20010817'))!;
    expect(patient.institution).toBe('CS');
    expect(patient.clinical?.['Patient']).toBe('TCGA_CS_6665');
    const slices = await listSlices(db, patient.id);
    expect(slices.map((s) => s.number)).toEqual(slices.map((_, i) => i + 1));
    const ten = slices[9]!;
    expect(path.basename(ten.imagePath)).toBe('TCGA_CS_6665_20010817_10.tif');
    expect([ten.width, ten.height, ten.channels]).toEqual([256, 256, 3]);

    // The stored mask is exactly the file beside the image with the same stem.
    const onDisk = await sharp(ten.imagePath.replace(/\.tif$/, '_mask.tif')).raw().toBuffer({ resolveWithObject: true });
    const stored = await readCurrentMask(db, ten.id, 256, 256);
    for (let i = 0; i < stored.data.length; i++) {
      if (stored.data[i] !== (onDisk.data[i * onDisk.info.channels]! > 127 ? 1 : 0)) throw new Error(`pixel ${i} differs`);
    }
    expect((await listMaskVersions(db, ten.id)).map((v) => [v.source, v.parentId])).toEqual([['imported', null]]);
    await db.destroy();
  });

  it('changes nothing on re-import, and says so', async () => {
    const home = tempDir();
    const folder = samplePatientFolder('TCGA_CS_6665_20010817');
    const first = await runCliJson(home, ['import', folder]);
    const second = await runCliJson(home, ['import', folder]);
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({ patients: 0, slices: 0, masks: 0, lesionSlices: 0, unchanged: first.json['slices'], changed: [] });
    const run = await runCliJson(home, ['info']);
    expect(run.json).toMatchObject({ patients: [{ id: 'TCGA_CS_6665_20010817', slices: first.json['slices'] }] });
  });

  it('reports a changed image instead of replacing it, and adds slices that are new', async () => {
    const folder = path.join(tempDir(), 'TCGA_CS_6665_20010817');
    cpSync(samplePatientFolder('TCGA_CS_6665_20010817'), folder, { recursive: true });
    const last = readdirSync(folder).filter((n) => !n.includes('_mask')).length;
    const extra = path.join(folder, `TCGA_CS_6665_20010817_${last}.tif`);
    renameSync(extra, `${extra}.hold`); // hide the last slice for the first import

    const db = await openCatalog(':memory:');
    await importPath(db, folder);
    const before = (await listSlices(db, 1)).map((s) => s.contentHash);

    copyFileSync(path.join(folder, 'TCGA_CS_6665_20010817_2.tif'), path.join(folder, 'TCGA_CS_6665_20010817_1.tif'));
    renameSync(`${extra}.hold`, extra);
    const report = await importPath(db, folder);
    expect(report.changed).toEqual([{ file: path.join(folder, 'TCGA_CS_6665_20010817_1.tif'), reason: expect.stringMatching(/differs/) }]);
    expect(report.slices).toBe(1);
    expect(report.unchanged).toBe(last - 2);
    const after = await listSlices(db, 1);
    expect(after.slice(0, before.length).map((s) => s.contentHash)).toEqual(before);
    expect(after).toHaveLength(last);
    await db.destroy();
  });

  it('imports a folder of slices without masks as a new patient to annotate', async () => {
    const folder = path.join(tempDir(), 'NEW_PATIENT_01');
    cpSync(samplePatientFolder('TCGA_CS_6665_20010817'), folder, {
      recursive: true,
      filter: (src) => !src.endsWith('_mask.tif'),
    });
    const db = await openCatalog(':memory:');
    const report = await importPath(db, folder);
    expect(report).toMatchObject({ patients: 1, masks: 0, lesionSlices: 0, skipped: [] });
    const [patient] = await listPatients(db);
    expect(patient).toMatchObject({ caseId: 'NEW_PATIENT_01', institution: 'unknown', clinical: null });
    for (const s of await listSlices(db, patient!.id)) {
      expect(s.hasLesion).toBe(false);
      expect(await listMaskVersions(db, s.id)).toEqual([]);
    }
    await db.destroy();
  });
});
