// Finding NIfTI patients: file-name rules, BraTS 2018 and 2023 dataset folders, a Decathlon and an nnU-Net root,
// a FLAIR-only patient folder, overrides, duplicates and broken files; loading checks every voxel.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { niftiFormat } from '../../src/importer/formats/nifti/nifti-format.js';
import { NOT_RECOGNISED, roleFromName } from '../../src/importer/formats/nifti/sequence-names.js';
import { realValue, type Volume } from '../../src/imaging/volume/volume.js';
import type { FoundPatient, SequenceOverride, SkippedFile } from '../../src/importer/formats/volume-format.js';
import { niftiFixtures, niftiToolsAvailable, type NiftiFixtures } from '../helpers/nifti-fixtures.js';
import { tempDir } from '../helpers/temp.js';

describe('sequence roles from file names', () => {
  it.each([
    ['BraTS20_Training_001_flair', 'flair'], ['BraTS20_Training_001_t1', 't1'], ['BraTS20_Training_001_t1ce', 't1c'],
    ['BraTS20_Training_001_t2', 't2'], ['BraTS20_Training_001_seg', 'label'],
    ['BraTS-GLI-00000-000-t2f', 'flair'], ['BraTS-GLI-00000-000-t1n', 't1'], ['BraTS-GLI-00000-000-t1c', 't1c'],
    ['BraTS-GLI-00000-000-t2w', 't2'], ['BraTS-GLI-00000-000-seg', 'label'],
    ['sub-01_FLAIR', 'flair'], ['sub-01_T1w', 't1'], ['sub-01_ce-gadolinium_T1w', 't1c'], ['sub-01_T2w', 't2'],
    ['patient7_T2_FLAIR', 'flair'], ['t2_flair', 'flair'], ['CE-T1', 't1c'], ['T1_post', 't1c'], ['t1gd', 't1c'],
    ['T1post', 't1c'], ['labels', 'label'], ['lesion_mask', 'label'], ['t1_study_flair', 'flair'],
    ['post-op_t1', 't1'], ['sub-01_brain_mask', 'other'], ['BRATS_001', 'other'], ['anatomy', 'other'],
  ])('%s → %s', (stem, role) => {
    expect(roleFromName(stem).role).toBe(role);
  });

  it('says why', () => {
    expect(roleFromName('BraTS20_Training_001_t1ce').reason).toBe('file name ends with "t1ce"');
    expect(roleFromName('scan').reason).toBe(NOT_RECOGNISED);
  });
});

const tools = niftiToolsAvailable();

function roles(patient: FoundPatient): Record<string, string> {
  return Object.fromEntries(patient.series.map((s) => [s.label, s.role]));
}

function expectValues(volume: Volume, expected: ArrayLike<number>): void {
  expect(volume.data.length).toBe(expected.length);
  let mismatches = 0;
  for (let n = 0; n < expected.length; n++) if (realValue(volume, n) !== expected[n]) mismatches++;
  expect(mismatches).toBe(0);
}

describe.skipIf(!tools)('NIfTI scan and load', () => {
  let fx: NiftiFixtures;
  let bratsLabels: Uint8Array;
  beforeAll(async () => {
    fx = await niftiFixtures();
    // make_nifti.py's labels: 1, 2, 4 over the lesion by (i + j + k) mod 3.
    const [w, h] = fx.dims;
    bratsLabels = fx.raw.mask.map((m, n) => (m ? [1, 2, 4][(n % w + Math.floor(n / w) % h + Math.floor(n / (w * h))) % 3]! : 0));
  });

  async function scan(relative: string, overrides: SequenceOverride[] = []) {
    const skipped: SkippedFile[] = [];
    const patients = await niftiFormat.scan(fx.path(relative), { overrides }, skipped);
    return { patients, skipped };
  }

  it('finds a BraTS 2018–2021 patient in a dataset folder and loads every sequence and the 0/1/2/4 labels', async () => {
    const { patients, skipped } = await scan('brats18');
    expect(skipped).toEqual([]); // notes.txt is not NIfTI: left alone
    expect(patients.map((p) => p.caseId)).toEqual(['BraTS20_Training_001']);
    const patient = patients[0]!;
    expect(patient.format).toBe('nifti');
    expect(patient.series.find((s) => s.role === 't1c')).toMatchObject({
      label: 'BraTS20_Training_001_t1ce.nii.gz', reason: 'file name ends with "t1ce"',
      key: path.join(fx.path('brats18/BraTS20_Training_001'), 'BraTS20_Training_001_t1ce.nii.gz'),
    });
    expect(Object.values(roles(patient)).sort()).toEqual(['flair', 'label', 't1', 't1c', 't2']);
    const loaded = await patient.load();
    expectValues(loaded.sequences.flair!.volume, fx.raw.flair); // int16 with slope 0.5, intercept 10
    expectValues(loaded.sequences.t1!.volume, fx.raw.t1);
    expectValues(loaded.sequences.t1c!.volume, fx.raw.t1c);
    expect(loaded.sequences.t2).toBeUndefined(); // recognised and reported, but the model does not read T2: not loaded
    expectValues(loaded.label!.volume, bratsLabels);
    expect(new Set(loaded.label!.volume.data)).toEqual(new Set([0, 1, 2, 4]));
    const origin = loaded.sequences.flair!.origin;
    expect(origin).toMatchObject({ format: 'nifti', volumeIndex: 0, file: patient.series.find((s) => s.role === 'flair')!.key });
    expect(origin.format === 'nifti' && Buffer.from(origin.header, 'base64').length).toBe(348);
    expect(loaded.warnings).toEqual([]);
  });

  it('finds BraTS 2023 patients; a broken file is skipped with its reason and the rest still imports', async () => {
    const { patients, skipped } = await scan('brats23');
    expect(patients.map((p) => p.caseId)).toEqual(['BraTS-GLI-00000-000', 'BraTS-GLI-00001-000']);
    expect(roles(patients[0]!)).toEqual({
      'BraTS-GLI-00000-000-seg.nii.gz': 'label', 'BraTS-GLI-00000-000-t1c.nii.gz': 't1c',
      'BraTS-GLI-00000-000-t1n.nii.gz': 't1', 'BraTS-GLI-00000-000-t2f.nii.gz': 'flair',
      'BraTS-GLI-00000-000-t2w.nii.gz': 't2',
    });
    const folder = fx.path('brats23/BraTS-GLI-00001-000');
    expect(skipped.sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: path.join(folder, 'BraTS-GLI-00001-000-t1n.nii.gz'), reason: expect.stringMatching(/truncated/) as unknown },
      { file: path.join(folder, 'BraTS-GLI-00001-000-t2w.nii.gz'), reason: expect.stringMatching(/not a NIfTI file/) as unknown },
    ]);
    expect(roles(patients[1]!)).toEqual({ 'BraTS-GLI-00001-000-t1c.nii.gz': 't1c', 'BraTS-GLI-00001-000-t2f.nii.gz': 'flair' });
    const second = await patients[1]!.load();
    expectValues(second.sequences.flair!.volume, fx.raw.flair);
    expectValues(second.sequences.t1c!.volume, fx.raw.t1c);

    const first = await patients[0]!.load();
    expectValues(first.sequences.flair!.volume, fx.raw.flair); // big-endian NIfTI-2
    const flairOrigin = first.sequences.flair!.origin;
    expect(flairOrigin.format === 'nifti' && Buffer.from(flairOrigin.header, 'base64').length).toBe(540);
    expectValues(first.label!.volume, bratsLabels);
    // The T1c is stored sagittally: same voxels, other order; its affine keeps them in place (reader tests check).
    const t1c = first.sequences.t1c!.volume;
    expect(t1c.dims).toEqual([fx.dims[1], fx.dims[2], fx.dims[0]]);
    const histogram = (values: ArrayLike<number>) => {
      const counts = new Array<number>(256).fill(0);
      for (let n = 0; n < values.length; n++) counts[values[n]!]!++;
      return counts;
    };
    expect(histogram(t1c.data)).toEqual(histogram(fx.raw.t1c));
  });

  it('takes a patient folder given directly (FLAIR only, BIDS name); caseId is the folder name', async () => {
    const { patients } = await scan('flair-only/sub-01');
    expect(patients).toHaveLength(1);
    expect(patients[0]!.caseId).toBe('sub-01');
    expect(patients[0]!.series).toEqual([expect.objectContaining({ label: 'sub-01_FLAIR.nii.gz', role: 'flair' })]);
    const loaded = await patients[0]!.load();
    expectValues(loaded.sequences.flair!.volume, fx.raw.flair);
    expect(loaded.label).toBeNull();
  });

  it('reads a Decathlon root: a 4-D image per patient, channels named by dataset.json, labels from labelsTr', async () => {
    const { patients, skipped } = await scan('msd/Task01_BrainTumour');
    expect(skipped).toEqual([]); // the ._BRATS_001.nii.gz resource fork is not a NIfTI file
    expect(patients.map((p) => p.caseId)).toEqual(['BRATS_001']);
    const patient = patients[0]!;
    expect(patient.series.map((s) => [s.role, s.reason])).toEqual([
      ['flair', 'dataset.json calls channel 0 "FLAIR"'], ['t1', 'dataset.json calls channel 1 "T1w"'],
      ['t1c', 'dataset.json calls channel 2 "t1gd"'], ['t2', 'dataset.json calls channel 3 "T2w"'],
      ['label', 'in labelsTr/ under the image\'s name'],
    ]);
    const loaded = await patient.load();
    expectValues(loaded.sequences.flair!.volume, fx.raw.flair);
    expectValues(loaded.sequences.t1!.volume, fx.raw.t1);
    expectValues(loaded.sequences.t1c!.volume, fx.raw.t1c);
    expectValues(loaded.label!.volume, bratsLabels);
    expect(loaded.sequences.t1c!.origin).toMatchObject({ volumeIndex: 2 });
    // All four channels are views on one inflated file.
    expect(loaded.sequences.t1!.volume.data.buffer).toBe(loaded.sequences.flair!.volume.data.buffer);
  });

  it('reads an nnU-Net root: one file per channel with a _0000 suffix', async () => {
    const { patients } = await scan('nnunet/Dataset001_Brain');
    expect(patients.map((p) => p.caseId)).toEqual(['BRAIN_007']);
    expect(roles(patients[0]!)).toEqual({
      'BRAIN_007_0000.nii.gz': 't1', 'BRAIN_007_0001.nii.gz': 'flair', 'labelsTr/BRAIN_007.nii.gz': 'label',
    });
    const loaded = await patients[0]!.load();
    expectValues(loaded.sequences.flair!.volume, fx.raw.flair);
    expectValues(loaded.sequences.t1!.volume, fx.raw.t1);
    expectValues(loaded.label!.volume, fx.raw.mask);
  });

  it('lets overrides beat the name rules, by file name or path; a second file for a role is set aside', async () => {
    const dir = fx.path('brats18/BraTS20_Training_001');
    const { patients } = await scan('brats18', [
      { key: 'BraTS20_Training_001_t2.nii.gz', role: 'flair' },
      { key: path.join(dir, 'BraTS20_Training_001_seg.nii.gz'), role: 'skip' },
    ]);
    const series = patients[0]!.series;
    expect(series.find((s) => s.label.endsWith('_t2.nii.gz'))).toMatchObject({ role: 'flair', reason: 'set by the user' });
    expect(series.find((s) => s.label.endsWith('_seg.nii.gz'))).toMatchObject({ role: 'skip', reason: 'set by the user' });
    expect(series.find((s) => s.label.endsWith('_flair.nii.gz'))).toMatchObject({
      role: 'skip', reason: expect.stringMatching(/^a second FLAIR: BraTS20_Training_001_t2\.nii\.gz is used/) as unknown,
    });
    const loaded = await patients[0]!.load();
    expect(loaded.label).toBeNull();
    expect(loaded.sequences.t2).toBeUndefined();
    expect(loaded.sequences.flair!.label).toBe('BraTS20_Training_001_t2.nii.gz');
    expect(loaded.warnings.join()).toMatch(/BraTS20_Training_001_flair\.nii\.gz left out/);
  });

  it('reports an unrecognised name as "other" with how to set it, and uses volume 0 of a stray 4-D file with a warning', async () => {
    const { patients, skipped } = await scan('variants');
    expect(skipped).toEqual([]);
    const series = patients[0]!.series;
    expect(series.every((s) => s.role === 'other' && s.reason === NOT_RECOGNISED)).toBe(true);
    const { patients: withFlair } = await scan('variants', [{ key: 'two-volumes.nii.gz', role: 'flair' }]);
    const loaded = await withFlair[0]!.load();
    expectValues(loaded.sequences.flair!.volume, fx.raw.flair);
    expect(loaded.warnings).toEqual(['two-volumes.nii.gz is 4-D (2 volumes) outside a Decathlon layout: its first volume is used']);
  });

  it('finds nothing in a folder without NIfTI files, and reports every bad file of a folder', async () => {
    expect((await niftiFormat.scan(tempDir(), { overrides: [] }, [])).length).toBe(0);
    const { skipped } = await scan('bad');
    const reasons = Object.fromEntries(skipped.map((s) => [path.basename(s.file), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'complex.nii', 'dim0.nii', 'dims-too-large.nii', 'dims-too-large.nii.gz', 'huge.nii', 'int64.nii',
      'truncated.nii', 'truncated.nii.gz', 'wrong-magic.nii', 'wrong-sizeof.nii',
    ]); // NaN and singular affines are found when the volume is read
    expect(reasons['dims-too-large.nii.gz']).toMatch(/need \d+ bytes from the start of the file, it holds \d+/);
  });
});
