// The NIfTI reader against files nibabel wrote from a real LGG patient, against nibabel's own test files, and
// against broken files: every voxel is compared with its source, and every affine with nibabel's.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNiftiHeader } from '../../src/importer/formats/nifti/nifti-file.js';
import { readNiftiVolumes } from '../../src/importer/formats/nifti/nifti-volume.js';
import { apply } from '../../src/imaging/volume/affine.js';
import { realValue, type Volume } from '../../src/imaging/volume/volume.js';
import { SliceReadError } from '../../src/importer/admit-file.js';
import {
  niftiFixtures, NIBABEL_DATA, nibabelReadings, niftiToolsAvailable, rasToLps, type NibabelReading, type NiftiFixtures,
} from '../helpers/nifti-fixtures.js';
import { tempDir } from '../helpers/temp.js';

const tools = niftiToolsAvailable();

function expectAffine(actual: readonly number[], expected: readonly number[], digits = 4): void {
  expect(actual).toHaveLength(16);
  actual.forEach((v, n) => expect(v, `affine element ${n}`).toBeCloseTo(expected[n]!, digits));
}

/** Every voxel of `volume` (after scaling) equals the source array, which is in axial order. */
function expectAxialValues(volume: Volume, source: Uint8Array): void {
  expect(volume.data.length).toBe(source.length);
  let mismatches = 0;
  for (let n = 0; n < source.length; n++) if (realValue(volume, n) !== source[n]) mismatches++;
  expect(mismatches).toBe(0);
}

describe.skipIf(!tools)('NIfTI reader on nibabel-written fixtures', () => {
  let fx: NiftiFixtures;
  beforeAll(async () => {
    fx = await niftiFixtures();
  });

  const AXIAL_LPS = [0.9375, 0, 0, 0, 0, 0.9375, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1];

  it.each([
    ['variants/int16-scaled.nii.gz', Int16Array, 0.5, 10],
    ['variants/float32.nii.gz', Float32Array, 1, 0],
    ['variants/uint16.nii', Uint16Array, 1, 0],
    ['variants/nifti2.nii.gz', Int16Array, 1, 0],
    ['variants/big-endian.nii.gz', Int16Array, 1, 0],
  ] as const)('%s: every voxel equals the source FLAIR, placed at the LGG geometry', async (file, type, slope, intercept) => {
    const { header, volumes } = await readNiftiVolumes(fx.path(file));
    const volume = volumes[0]!;
    expect(volume.data).toBeInstanceOf(type);
    expect(volume.dims).toEqual(fx.dims);
    expect([volume.slope, volume.intercept]).toEqual([slope, intercept]);
    expectAxialValues(volume, fx.raw.flair);
    expectAffine(volume.affine, AXIAL_LPS);
    expect(header.affine.source).toBe('sform');
    expect(header.warnings).toEqual([]);
    expect(header.bytes.length).toBe(file.includes('nifti2') ? 540 : 348);
  });

  it('keeps the data a view on the inflated file, not a copy (little-endian, aligned)', async () => {
    const { header, volumes } = await readNiftiVolumes(fx.path('variants/int16-scaled.nii.gz'));
    const data = volumes[0]!.data;
    expect(data.byteOffset).toBe(header.voxOffset);
    expect(data.buffer.byteLength).toBeGreaterThanOrEqual(header.voxOffset + data.byteLength);
  });

  it('places every voxel of a sagittally stored volume where the axial one has it', async () => {
    const sagittal = (await readNiftiVolumes(fx.path('variants/sagittal.nii.gz'))).volumes[0]!;
    const [w, h, s] = fx.dims;
    // Stored as i = row, j = slice (reversed), k = column.
    expect(sagittal.dims).toEqual([h, s, w]);
    expectAffine(sagittal.affine, rasToLps(fx.files['variants/sagittal.nii.gz']!.affine));
    let checked = 0;
    for (let n = 0; n < sagittal.data.length; n += 97) {
      const i = n % h, j = Math.floor(n / h) % s, k = Math.floor(n / (h * s));
      const [x, y, z] = apply(sagittal.affine, [i, j, k]);
      const c = Math.round(x / 0.9375), r = Math.round(y / 0.9375), slice = Math.round(z / 3);
      expect([x - c * 0.9375, y - r * 0.9375, z - slice * 3].map((d) => Math.abs(d) < 1e-4)).toEqual([true, true, true]);
      expect(sagittal.data[n]).toBe(fx.raw.flair[c + w * (r + h * slice)]);
      checked++;
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('uses the sform of an oblique file (not its axial qform): LPS equals nibabel\'s RAS with x, y negated', async () => {
    const { header, volumes } = await readNiftiVolumes(fx.path('variants/oblique.nii.gz'));
    expect(header.affine.source).toBe('sform');
    expectAffine(volumes[0]!.affine, rasToLps(fx.files['variants/oblique.nii.gz']!.affine), 5);
    expectAxialValues(volumes[0]!, fx.raw.flair);
  });

  it('uses the qform when the sform code is 0', async () => {
    const { header, volumes } = await readNiftiVolumes(fx.path('variants/qform-only.nii.gz'));
    expect(header.affine.source).toBe('qform');
    expectAffine(volumes[0]!.affine, rasToLps(fx.files['variants/qform-only.nii.gz']!.affine), 5);
    expectAxialValues(volumes[0]!, fx.raw.flair);
  });

  it('places a file with neither sform nor qform by pixdim, with a warning', async () => {
    const { header, volumes } = await readNiftiVolumes(fx.path('variants/no-xform.nii'));
    expect(header.affine.source).toBe('pixdim');
    expect(header.warnings.join()).toMatch(/neither sform nor qform/);
    // The standard's method 1 (x = pixdim[1]·i, … in RAS, no shift); nibabel centres the grid and flips x instead.
    expectAffine(volumes[0]!.affine, [-0.9375, 0, 0, 0, 0, -0.9375, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
    expectAxialValues(volumes[0]!, fx.raw.flair);
  });

  it('reads any volume of a 4-D file as a view', async () => {
    const { header, volumes } = await readNiftiVolumes(fx.path('variants/two-volumes.nii.gz'), [1, 0]);
    expect(header.volumes).toBe(2);
    expectAxialValues(volumes[0]!, fx.raw.t1);
    expectAxialValues(volumes[1]!, fx.raw.flair);
    await expect(readNiftiVolumes(fx.path('variants/two-volumes.nii.gz'), [2])).rejects.toThrow(/holds 2/);
  });

  it('reads only the header at scan time, and finds a short .nii there', async () => {
    const header = await readNiftiHeader(fx.path('variants/int16-scaled.nii.gz'));
    expect(header.dims).toEqual(fx.dims);
    expect(header.voxelType.name).toBe('int16');
    await expect(readNiftiHeader(fx.path('bad/truncated.nii'))).rejects.toThrow(/truncated or its dims are wrong/);
    await expect(readNiftiHeader(fx.path('bad/dims-too-large.nii'))).rejects.toThrow(/64×64×80 int16 voxels need/);
  });

  it.each([
    ['truncated.nii.gz', /truncated \(its compressed data ends early\)/],
    ['truncated.nii', /truncated or its dims are wrong/],
    ['wrong-magic.nii', /magic string is "xyz", not "n\+1"/],
    ['wrong-sizeof.nii', /sizeof_hdr is 123, not 348/],
    ['dims-too-large.nii.gz', /64×64×80 int16 voxels need \d+ bytes .* it holds \d+/],
    ['dims-too-large.nii', /64×64×80 int16 voxels need/],
    ['dim0.nii', /dim\[0\] is 9/],
    ['nan-affine.nii', /affine\) holds a value that is not a number/],
    ['singular-affine.nii', /singular/],
    ['int64.nii', /datatype int64 is not supported/],
    ['complex.nii', /datatype complex64 is not supported/],
    ['huge.nii', /implausibly large: 4000×4000×4000 float64 voxels are 476\.8 GB/],
  ])('refuses bad/%s with a reason naming the file', async (name, reason) => {
    const file = fx.path(`bad/${name}`);
    const error = await readNiftiVolumes(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SliceReadError);
    expect((error as SliceReadError).file).toBe(file);
    expect((error as SliceReadError).reason).toMatch(reason);
  });

  it('measures reading a 240×240×155 int16 .nii.gz (BraTS size)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'brats-size.nii.gz');
    const { execFileSync } = await import('node:child_process');
    const { FIXTURE_PYTHON } = await import('../helpers/lgg-raw.js');
    execFileSync(FIXTURE_PYTHON, ['-c', `
import nibabel as nib, numpy as np
rng = np.random.default_rng(1)
a = np.zeros((240, 240, 155), np.int16)
a[40:200, 30:210, 20:140] = rng.normal(400, 120, (160, 180, 120)).astype(np.int16)
nib.save(nib.Nifti1Image(a, np.diag([-1, -1, 1, 1])), '${file}')`]);
    const started = performance.now();
    const { volumes } = await readNiftiVolumes(file);
    const ms = performance.now() - started;
    expect(volumes[0]!.dims).toEqual([240, 240, 155]);
    console.log(`read 240×240×155 int16 .nii.gz (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(20_000); // a measurement, not a benchmark: CI machines are shared
  });
});

const NIBABEL_FILES = ['anatomical.nii', 'example4d.nii.gz', 'example_nifti2.nii.gz', 'standard.nii.gz', 'functional.nii',
  'reoriented_anat_moved.nii', 'resampled_anat_moved.nii'];

describe.skipIf(!tools || !existsSync(NIBABEL_DATA))('NIfTI reader on nibabel\'s own test files', () => {
  let readings: Map<string, NibabelReading>;
  beforeAll(() => {
    // All of nibabel's readings by one python process (each start with numpy and nibabel costs ~0.7 s of CPU).
    const all = nibabelReadings(NIBABEL_FILES.map((name) => path.join(NIBABEL_DATA, name)), tempDir.persistent());
    readings = new Map(NIBABEL_FILES.map((name, n) => [name, all[n]!]));
  });

  it.each(NIBABEL_FILES)('%s: voxels and affine as nibabel reads them', async (name) => {
    const file = path.join(NIBABEL_DATA, name);
    const expected = readings.get(name)!;
    const { header, volumes } = await readNiftiVolumes(file);
    const volume = volumes[0]!;
    expect([...volume.dims]).toEqual(expected.shape.slice(0, 3).concat([1, 1, 1]).slice(0, 3));
    expect(volume.data.length).toBe(expected.values.length);
    let worst = 0;
    for (let n = 0; n < expected.values.length; n++) {
      if (Number.isNaN(expected.values[n]) && Number.isNaN(realValue(volume, n))) continue;
      worst = Math.max(worst, Math.abs(realValue(volume, n) - expected.values[n]!) / Math.max(1, Math.abs(expected.values[n]!)));
    }
    expect(worst).toBeLessThan(1e-6);
    // nibabel's `affine` follows the same precedence (sform, then qform, then pixdim).
    expectAffine(volume.affine, rasToLps(expected.affine), 4);
    expect(header.bytes.length).toBe(name.includes('nifti2') ? 540 : 348);
  });
});
