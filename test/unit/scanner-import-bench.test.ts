// The scanner-import benchmark's input generators at a tiny size: what they write reads back, through the
// importer's own NIfTI and DICOM readers, as exactly the values they say they wrote. No timing here: the targets
// (2 s, 3 s, 1 GB) belong to `brainseg bench --import`, not to the test suite.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBratsCase, writeDicomSeries, BRATS_LESION_LABEL } from '../../src/bench/scanner-inputs.js';
import { resampleStack, syntheticCase } from '../../src/bench/scanner-phantom.js';
import { dicomFormat } from '../../src/importer/formats/dicom/dicom-format.js';
import { niftiFormat } from '../../src/importer/formats/nifti/nifti-format.js';
import type { SkippedFile } from '../../src/importer/formats/volume-format.js';
import { realValue, voxelSpacing, type Volume } from '../../src/imaging/volume/volume.js';
import { tempDir } from '../helpers/temp.js';

const source = syntheticCase(64, 12);

function expectValues(volume: Volume, expected: ArrayLike<number>, toReal = (v: number) => v): void {
  expect(volume.data.length).toBe(expected.length);
  let differing = 0;
  for (let i = 0; i < expected.length; i++) if (realValue(volume, i) !== toReal(expected[i]!)) differing++;
  expect(differing).toBe(0);
}

describe('scanner-import benchmark inputs', () => {
  it('the phantom is deterministic and has a lesion inside the head', () => {
    const again = syntheticCase(64, 12);
    expect(Buffer.compare(again.channels.flair, source.channels.flair)).toBe(0);
    const lesion = source.mask.reduce((n, v) => n + v, 0);
    expect(lesion).toBeGreaterThan(50);
    expect(lesion).toBeLessThan(source.mask.length / 10);
    // Nearest-neighbour resampling keeps a mask binary; onto its own grid, trilinear is the identity.
    expect(new Set(resampleStack(source, source.mask, [20, 16, 7], true))).toEqual(new Set([0, 1]));
    expect([...resampleStack(source, source.channels.t2, [64, 64, 12], false)]).toEqual([...source.channels.t2]);
  });

  it('writes a BraTS case whose four int16 sequences and labels the NIfTI reader gives back voxel for voxel', async () => {
    const dir = tempDir();
    const written = await writeBratsCase(dir, source, { caseId: 'BraTS20_Training_007', dims: [24, 20, 9] });
    expect(readdirSync(written.folder).sort()).toEqual(
      ['flair', 'seg', 't1', 't1ce', 't2'].map((s) => `BraTS20_Training_007_${s}.nii.gz`),
    );
    const skipped: SkippedFile[] = [];
    const patients = await niftiFormat.scan(dir, { overrides: [] }, skipped);
    expect(skipped).toEqual([]);
    expect(patients.map((p) => p.caseId)).toEqual(['BraTS20_Training_007']);
    expect(patients[0]!.series.map((s) => s.role).sort()).toEqual(['flair', 'label', 't1', 't1c', 't2']);
    const loaded = await patients[0]!.load();
    // T2 is found and reported (above) but not loaded: the model does not read it.
    expect(loaded.sequences.t2).toBeUndefined();
    for (const [role, sequence] of [['flair', 'flair'], ['t1', 't1'], ['t1c', 't1c']] as const) {
      const volume = loaded.sequences[role]!.volume;
      expect(volume.data).toBeInstanceOf(Int16Array);
      expect(volume.dims).toEqual([24, 20, 9]);
      expectValues(volume, written.values[sequence]);
    }
    expect(written.values.flair.some((v) => v > 255)).toBe(true); // 16-bit scanner values, not 8-bit ones
    const label = loaded.label!.volume;
    expectValues(label, written.labels);
    expect(written.labels.includes(BRATS_LESION_LABEL)).toBe(true);
    // 1 mm voxels, i toward the patient's left, j toward posterior (BraTS's orientation).
    expect([...loaded.sequences.flair!.volume.affine]).toEqual([1, 0, 0, 0, 0, 1, 0, -19, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(loaded.warnings).toEqual([]);
  });

  it('writes a 16-bit DICOM series with shuffled names that the DICOM reader sorts back, with its rescale', async () => {
    const dir = tempDir();
    const written = writeDicomSeries(path.join(dir, 'series'), source, { size: 32, slices: 10, sliceMm: 2 });
    const names = readdirSync(written.folder);
    expect(names).toHaveLength(10);
    expect(names.every((n) => /^IM[0-9A-F]{10}$/.test(n))).toBe(true);
    const byInstance = written.files.map((f) => path.basename(f));
    expect([...byInstance].sort()).not.toEqual(byInstance); // the names' order is not the slices' order
    const skipped: SkippedFile[] = [];
    const patients = await dicomFormat.scan(dir, { overrides: [] }, skipped);
    expect(skipped).toEqual([]);
    expect(patients.map((p) => p.caseId)).toEqual([written.caseId]);
    expect(patients[0]!.series.map((s) => `${s.role}: ${s.label}`)).toEqual(['flair: 3 AX T2 FLAIR (10 images)']);
    const loaded = await patients[0]!.load();
    const volume = loaded.sequences.flair!.volume;
    expect(volume.dims).toEqual([32, 32, 10]);
    expect(volume.slope).toBe(0.5);
    expect(volume.intercept).toBe(-10);
    expectValues(volume, written.stored, (v) => v * written.slope + written.intercept);
    expect(written.stored.some((v) => v > 255)).toBe(true);
    const [dx, dy, dz] = voxelSpacing(volume.affine);
    expect([dx, dy, dz].map((v) => Number(v.toFixed(6)))).toEqual([7.5, 7.5, 2]);
    expect(loaded.warnings).toEqual([]);
  });
});
