// The DICOM reader against files written by pydicom, dcmtk and gdcm from a real LGG patient: every volume's values
// are compared with the source arrays, voxel for voxel (with a tolerance only for lossy JPEG).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dicomFormat } from '../../src/importer/formats/dicom/dicom-format.js';
import type { FoundPatient, LoadedPatient, SkippedFile } from '../../src/importer/formats/volume-format.js';
import { apply } from '../../src/imaging/volume/affine.js';
import { realValue, type Volume } from '../../src/imaging/volume/volume.js';
import { dicomFixtures, missingDicomTools, type DicomFixtures } from '../helpers/dicom-fixtures.js';
import { tempDir } from '../helpers/temp.js';

const missing = missingDicomTools();

describe.skipIf(missing !== null)('DICOM reader', () => {
  let fx: DicomFixtures;

  beforeAll(async () => {
    fx = await dicomFixtures();
  }, 180_000);

  async function scan(key: string, overrides: Parameters<typeof dicomFormat.scan>[1]['overrides'] = []) {
    const skipped: SkippedFile[] = [];
    const patients = await dicomFormat.scan(path.join(fx.root, fx.cases[key]!.folder), { overrides }, skipped);
    return { patients, skipped };
  }

  async function loadOnly(key: string): Promise<{ patient: FoundPatient; loaded: LoadedPatient; skipped: SkippedFile[] }> {
    const { patients, skipped } = await scan(key);
    expect(patients).toHaveLength(1);
    return { patient: patients[0]!, loaded: await patients[0]!.load(), skipped };
  }

  /** Expects an axial volume (i = column, j = row, k = slice) to hold `source` in real values. */
  function expectAxial(volume: Volume, source: Uint8Array, transform = (v: number) => v, tolerance = 0) {
    expect(volume.dims).toEqual([fx.columns, fx.rows, fx.slices]);
    let worst = 0;
    for (let i = 0; i < source.length; i++) worst = Math.max(worst, Math.abs(realValue(volume, i) - transform(source[i]!)));
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect([...volume.affine].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.9375, 0, 0, 0, 0, 0.9375, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
  }

  it('finds the study in a shuffled tree with a DICOMDIR, classifies its series and skips the rest with reasons', async () => {
    const { patients, skipped } = await scan('main');
    expect(patients.map((p) => p.caseId)).toEqual(['LGG-1_20240102']);
    const roles = Object.fromEntries(patients[0]!.series.map((s) => [s.label, `${s.role}: ${s.reason}`]));
    expect(roles).toEqual({
      '3 AX T2 FLAIR (24 images)': 'flair: SeriesDescription "AX T2 FLAIR"',
      '4 AX T1 SE (24 images)': 't1: SeriesDescription "AX T1 SE"; no contrast named',
      '7 T1 SE AX C+ (24 images)': 't1c: SeriesDescription "T1 SE AX C+"; post-contrast: SeriesDescription "T1 SE AX C+"',
    });
    const reasons = skipped.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/series 1 "3-Plane Loc" \(3 files\): a localizer: ImageType LOCALIZER/);
    expect(reasons).toMatch(/series 900 "Radiology Report".*not an image volume: a structured report \(SR\)/);
    expect(reasons).toMatch(/series 901 "Annotations".*not an image volume: a presentation state \(GSPS\)/);
    expect(reasons).toMatch(/series 50 "AX DWI" \(1 file\): has no pixel data/);
    expect(reasons).toMatch(/transfer syntax 1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG Extended \(Process 2 & 4, 12-bit\)\) is not supported/);
    expect(reasons).toMatch(/series 60 "CT HEAD" \(2 files\): modality CT: only MR is imported/);
    expect(skipped).toHaveLength(6); // the DICOMDIR itself is not reported
  });

  it('loads the study: real values (RescaleSlope 0.5, RescaleIntercept −100) equal the source, with the origin for export', async () => {
    const { loaded } = await loadOnly('main');
    expect(fx.slope).not.toBe(1);
    expect(fx.intercept).not.toBe(0);
    expectAxial(loaded.sequences.flair!.volume, fx.raw.flair);
    expectAxial(loaded.sequences.t1!.volume, fx.raw.t1);
    expectAxial(loaded.sequences.t1c!.volume, fx.raw.t1c);
    expect(loaded.sequences.flair!.volume.slope).toBe(0.5);
    const origin = loaded.sequences.flair!.origin;
    if (origin.format !== 'dicom') throw new Error('expected a DICOM origin');
    expect(origin.patient.id).toBe('LGG-1');
    expect(origin.series.number).toBe('3');
    expect(origin.frames).toHaveLength(fx.slices);
    expect(new Set(origin.frames.map((f) => f.sopInstanceUid)).size).toBe(fx.slices);
    expect(origin.frames.every((f) => f.frameNumber === null && f.sopClassUid === '1.2.840.10008.5.1.4.1.1.4')).toBe(true);
    expect(loaded.warnings).toEqual([]);
  });

  for (const key of ['jpegls', 'j2k', 'rle', 'jpeg57', 'jpeg70', 'deflate', 'bigendian']) {
    it(`decodes the FLAIR stored as ${key} losslessly`, async () => {
      const { loaded } = await loadOnly(key);
      expectAxial(loaded.sequences.flair!.volume, fx.raw.flair);
    });
  }

  it('decodes 8-bit JPEG baseline within the loss of quality 95', async () => {
    const { loaded } = await loadOnly('baseline');
    const volume = loaded.sequences.flair!.volume;
    expect(volume.data).toBeInstanceOf(Uint8Array);
    expectAxial(volume, fx.raw.flair, (v) => v, 24);
    let sum = 0;
    for (let i = 0; i < fx.raw.flair.length; i++) sum += Math.abs(volume.data[i]! - fx.raw.flair[i]!);
    expect(sum / fx.raw.flair.length).toBeLessThan(1.5);
  });

  it('inverts MONOCHROME1 and reads signed 12-bit values, ignoring the unused high bits', async () => {
    expectAxial((await loadOnly('mono1')).loaded.sequences.flair!.volume, fx.raw.flair);
    const signed = (await loadOnly('signed12')).loaded.sequences.flair!.volume;
    expect(signed.data).toBeInstanceOf(Int16Array);
    expectAxial(signed, fx.raw.flair, (v) => v - 128);
  });

  it('places a sagittal series in the patient: every voxel sits where the source voxel of that value sits', async () => {
    const { loaded } = await loadOnly('sagittal');
    const volume = loaded.sequences.flair!.volume;
    const columns = fx.cases['sagittal']!.columns!;
    expect(volume.dims).toEqual([fx.rows, fx.slices, columns.length]);
    const [n0, n1, n2] = volume.dims;
    // Plain comparisons with the first failure named (an expect() per voxel cost seconds for 200,000 voxels).
    for (let k = 0; k < n2; k++) {
      for (let j = 0; j < n1; j++) {
        for (let i = 0; i < n0; i++) {
          const [x, y, z] = apply(volume.affine, [i, j, k]);
          const c = Math.round(x / 0.9375), r = Math.round(y / 0.9375), n = Math.round(z / 3);
          const offGrid = Math.abs(x / 0.9375 - c) + Math.abs(y / 0.9375 - r) + Math.abs(z / 3 - n);
          if (!(offGrid < 1e-6)) throw new Error(`voxel ${i},${j},${k} sits at (${x}, ${y}, ${z}) mm, off the source grid`);
          const expected = fx.raw.flair[n * fx.rows * fx.columns + r * fx.columns + c]!;
          if (realValue(volume, i + n0 * (j + n1 * k)) !== expected) throw new Error(`voxel ${i},${j},${k} differs`);
        }
      }
    }
  });

  it('reads an enhanced multi-frame object by its functional groups, taking the largest stack with a warning', async () => {
    const { loaded } = await loadOnly('enhanced');
    expectAxial(loaded.sequences.flair!.volume, fx.raw.flair);
    const origin = loaded.sequences.flair!.origin;
    if (origin.format !== 'dicom') throw new Error('expected a DICOM origin');
    expect(new Set(origin.frames.map((f) => f.sopInstanceUid)).size).toBe(1);
    expect(origin.frames.map((f) => f.sopClassUid)[0]).toBe('1.2.840.10008.5.1.4.1.1.4.1');
    expect(origin.frames.every((f) => f.frameNumber !== null && f.frameNumber <= fx.slices)).toBe(true);
    expect(loaded.warnings.join('\n')).toMatch(/holds 2 stacks \(stack 1: 24 frames, stack 2: 3 frames\); the largest \(stack 1\) is used/);
  });

  it('warns of a missing slice between the positions either side, and refuses a series of mixed sizes', async () => {
    const { loaded, skipped } = await loadOnly('gaps');
    const missingSlice = fx.cases['gaps']!.missing!;
    expect(loaded.warnings.join('\n')).toMatch(new RegExp(`gap of 6 mm between the slices at ${(missingSlice - 1) * 3} mm and ${(missingSlice + 1) * 3} mm`));
    const volume = loaded.sequences.flair!.volume;
    const plane = fx.rows * fx.columns;
    for (let k = 0; k < volume.dims[2]; k++) {
      const n = k < missingSlice ? k : k + 1;
      for (let p = 0; p < plane; p += 97) expect(realValue(volume, k * plane + p)).toBe(fx.raw.flair[n * plane + p]);
    }
    expect(loaded.sequences.t1).toBeUndefined();
    expect(skipped.map((s) => s.reason).join('\n')).toMatch(/series 4 "AX T1" \(24 files\): its images have different sizes \(Columns×Rows 256×256 \(18 images\), 128×128 \(6 images\)\)/);
  });

  it('obeys overrides by SeriesNumber and SeriesInstanceUID, and keeps one series per role', async () => {
    const base = await scan('main');
    const t1c = base.patients[0]!.series.find((s) => s.role === 't1c')!;
    const { patients } = await scan('main', [{ role: 'skip', key: '4' }, { role: 't1', key: t1c.key }]);
    const series = patients[0]!.series;
    expect(series.find((s) => s.label.startsWith('4 '))).toMatchObject({ role: 'skip', reason: 'set by the user (4)' });
    expect(series.find((s) => s.key === t1c.key)).toMatchObject({ role: 't1' });
    const loaded = await patients[0]!.load();
    expect(loaded.sequences.t1c).toBeUndefined();
    expectAxial(loaded.sequences.t1!.volume, fx.raw.t1c);
    // Both FLAIRs of the whole tree in one scan would be several studies; two FLAIRs in one study keep one.
    const two = await scan('main', [{ role: 'flair', key: '4' }]);
    const flairs = two.patients[0]!.series.filter((s) => s.reason.includes('FLAIR') || s.reason.includes('set by the user'));
    expect(flairs.find((s) => s.label.startsWith('4 '))!.role).toBe('flair');
    expect(flairs.find((s) => s.label.startsWith('3 '))).toMatchObject({ role: 'skip' });
    expect(flairs.find((s) => s.label.startsWith('3 '))!.reason).toMatch(/another flair series is used: 4 AX T1 SE \(24 images\) \(the user chose it\)/);
  });

  it('skips 5,000 files that are not DICOM quickly, as one entry for their folder', async () => {
    const dir = tempDir();
    const junk = path.join(dir, 'junk');
    mkdirSync(junk);
    const body = Buffer.alloc(4096, 0x41);
    for (let i = 0; i < 5000; i++) writeFileSync(path.join(junk, `file${String(i).padStart(5, '0')}`), body);
    writeFileSync(path.join(junk, 'notes.txt'), 'ignored by name');
    const skipped: SkippedFile[] = [];
    const started = performance.now();
    const patients = await dicomFormat.scan(dir, { overrides: [] }, skipped);
    const seconds = (performance.now() - started) / 1000;
    console.log(`scanned 5,000 non-DICOM files in ${seconds.toFixed(2)} s`);
    expect(patients).toEqual([]);
    expect(skipped).toEqual([{ file: junk, reason: '5000 files are not DICOM, e.g. file00000, file00001, file00002, …' }]);
    expect(seconds).toBeLessThan(10);
  });
});
