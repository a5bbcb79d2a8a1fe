// The NIfTI label writer: a label written onto a source's grid reads back in nibabel with the source's shape,
// sform and qform (codes and matrices) and the same voxels; existing files are kept unless asked.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelHeader, writeNiftiLabel } from '../../src/exporter/formats/nifti/write-nifti-label.js';
import { readNiftiVolumes } from '../../src/importer/formats/nifti/nifti-volume.js';
import type { NiftiOrigin } from '../../src/imaging/volume/origin.js';
import { niftiFixtures, nibabelLabelOnSource, niftiToolsAvailable, type NiftiFixtures } from '../helpers/nifti-fixtures.js';
import { tempDir } from '../helpers/temp.js';

const tools = niftiToolsAvailable();

// Byte comparison (vitest's deep equality takes seconds on a million-element array).
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual.buffer, actual.byteOffset, actual.length), Buffer.from(expected))).toBe(0);
}

async function originOf(file: string, volumeIndex = 0): Promise<NiftiOrigin> {
  const { header } = await readNiftiVolumes(file, [volumeIndex]);
  return { format: 'nifti', file, header: Buffer.from(header.bytes).toString('base64'), volumeIndex };
}

describe.skipIf(!tools)('NIfTI label writer', () => {
  let fx: NiftiFixtures;
  beforeAll(async () => {
    fx = await niftiFixtures();
  });

  it.each([
    'variants/int16-scaled.nii.gz', 'variants/oblique.nii.gz', 'variants/qform-only.nii.gz', 'variants/sagittal.nii.gz',
    'variants/nifti2.nii.gz', 'variants/big-endian.nii.gz', 'msd/Task01_BrainTumour/imagesTr/BRATS_001.nii.gz',
  ])('round trip onto %s: nibabel reads the same shape, sform, qform and voxels', async (relative) => {
    const source = fx.path(relative);
    const dir = tempDir();
    const origin = await originOf(source, relative.includes('msd') ? 3 : 0);
    const { volumes } = await readNiftiVolumes(source, [origin.volumeIndex]);
    // A label per voxel that depends on the source's value, so a misplaced voxel shows.
    const labels = Uint8Array.from(volumes[0]!.data, (v) => Math.round(Number(v)) % 5);
    const file = path.join(dir, 'label.nii.gz');
    await writeNiftiLabel(origin, labels, file);

    const [written, expected] = nibabelLabelOnSource(file, source, dir);
    expect(written.shape).toEqual(expected.shape.slice(0, 3));
    expect(written.dtype).toBe('uint8');
    expectSameBytes(written.values, labels);
    expect(written.sform_code).toBe(expected.sform_code);
    expect(written.qform_code).toBe(expected.qform_code);
    expect(written.sform).toEqual(expected.sform_code > 0 ? expected.sform : null);
    expect(written.qform).toEqual(expected.qform_code > 0 ? expected.qform : null);
    expect(written.vox_offset).toBe(relative.includes('nifti2') ? 544 : 352);
    expect(written.cal).toEqual([0, 1]);
    expect(written.intent).toBe('label');
    expect(written.big_endian).toBe(relative.includes('big-endian'));
    // Apart from what describes the voxels, the header is the source's byte for byte.
    const sourceHeader = Buffer.from(origin.header, 'base64');
    const labelBytes = gunzipSync(readFileSync(file)).subarray(0, sourceHeader.length);
    const changed = [...sourceHeader.keys()].filter((n) => sourceHeader[n] !== labelBytes[n]);
    const allowed = sourceHeader.length === 348
      ? (n: number) => (n >= 40 && n < 74) || (n >= 108 && n < 120) || (n >= 124 && n < 132)
      : (n: number) => (n >= 12 && n < 104) || (n >= 168 && n < 208) || (n >= 504 && n < 508);
    expect(changed.filter((n) => !allowed(n))).toEqual([]);
    // And our reader reads it back onto the same grid.
    const back = (await readNiftiVolumes(file)).volumes[0]!;
    expect(back.affine).toEqual(volumes[0]!.affine);
    expectSameBytes(back.data as Uint8Array, labels);
  });

  it('never replaces an existing file unless asked, and leaves no temporary file behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'seg.nii.gz');
    writeFileSync(file, 'keep me');
    const origin = await originOf(fx.path('variants/uint16.nii'));
    const labels = new Uint8Array(fx.dims[0] * fx.dims[1] * fx.dims[2]).fill(1);
    await expect(writeNiftiLabel(origin, labels, file)).rejects.toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await writeNiftiLabel(origin, labels, file, { overwrite: true });
    expectSameBytes((await readNiftiVolumes(file)).volumes[0]!.data as Uint8Array, labels);
    expect(readdirSync(dir)).toEqual(['seg.nii.gz']);
  });

  it('refuses labels that do not fit the grid, and names that are not .nii.gz', async () => {
    const dir = tempDir();
    const origin = await originOf(fx.path('variants/uint16.nii'));
    await expect(writeNiftiLabel(origin, new Uint8Array(10), path.join(dir, 'a.nii.gz'))).rejects.toThrow(/do not fit the source grid 256×256×/);
    await expect(writeNiftiLabel(origin, new Uint8Array(10), path.join(dir, 'a.nii'))).rejects.toThrow(/\.nii\.gz/);
    expect(existsSync(path.join(dir, 'a.nii.gz'))).toBe(false);
  });
});

describe('label header', () => {
  it('refuses bytes that are not a NIfTI header', () => {
    expect(() => labelHeader(new Uint8Array(100))).toThrow(/348 or 540/);
    expect(() => labelHeader(new Uint8Array(348))).toThrow(/not a NIfTI header/);
  });
});
