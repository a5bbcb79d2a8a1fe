// Masks go back to the scanner's own grid exactly: a NIfTI case stored sagittally, imported with its label and
// exported unchanged, gives back the same label voxel for voxel with the same dims, sform and qform; a mask drawn on
// a sagittal DICOM series' axial slice (not square: centred on a square for the model) comes back in the DICOM-SEG
// frame of the sagittal image it was drawn through, at the pixel the series' own geometry says.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli.js';
import { dicomFixtures, missingDicomTools } from '../helpers/dicom-fixtures.js';
import { cachedLggRaw, FIXTURE_CASE, runFixtureScript } from '../helpers/lgg-raw.js';
import { nibabelLabels, niftiToolsAvailable } from '../helpers/nifti-fixtures.js';
import { tempDir } from '../helpers/temp.js';

describe.runIf(niftiToolsAvailable())('NIfTI export', () => {
  it('gives back a sagittally stored label unchanged: voxels, dims, sform and qform', async () => {
    const dir = tempDir();
    const raw = await cachedLggRaw(FIXTURE_CASE); // shared and read-only: the case is written to dir
    runFixtureScript('make_ui_case.py', [raw.dir, path.join(dir, 'cases'), 'SAG_1']);
    const home = tempDir();
    expect((await runCliJson(home, ['import', path.join(dir, 'cases', 'SAG_1')])).code).toBe(0);
    const exported = await runCliJson<{ files: string[] }>(home, ['export', path.join(dir, 'out'), '--format', 'nifti']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json.files).toEqual([path.join(dir, 'out', 'SAG_1_seg.nii.gz')]);
    const labels = nibabelLabels([path.join(dir, 'cases', 'SAG_1', 'SAG_1_seg.nii.gz'), exported.json.files[0]!], dir);
    const source = labels[0]!, back = labels[1]!;
    expect(back.shape).toEqual(source.shape);
    expect(back.sform).toEqual(source.sform);
    expect(back.qform).toEqual(source.qform);
    expect([back.sform_code, back.qform_code]).toEqual([source.sform_code, source.qform_code]);
    expect(source.values.some((v) => v === 1)).toBe(true);
    expect(Buffer.from(back.values).equals(Buffer.from(source.values))).toBe(true);
  }, 180_000);
});

describe.runIf(missingDicomTools() === null)('DICOM-SEG export', () => {
  it('puts a mask drawn on an axial slice of a sagittal series back into the right sagittal frames', async () => {
    const fixtures = await dicomFixtures(); // the run's shared 24-slice study
    const sagittal = fixtures.cases['sagittal']!;
    const home = tempDir();
    const imported = await runCliJson<{ patients: number }>(home, ['import', path.join(fixtures.root, sagittal.folder)]);
    expect(imported.json.patients, imported.stderr).toBe(1);
    // The axial slices are 32 columns (one per sagittal image) × 256 rows, centred on a 256² square.
    const images = sagittal.columns!.length;
    const side = fixtures.rows;
    const left = Math.floor((side - images) / 2);
    const z = 5; // axial slice 6, from the feet
    const mask = new Uint8Array(side * side);
    const drawn: [number, number][] = [];
    for (let y = 100; y < 120; y++) for (let x = left + 3; x < left + 9; x++) {
      mask[y * side + x] = 255;
      drawn.push([x - left, y]);
    }
    const png = path.join(tempDir(), 'mask.png');
    writeFileSync(png, await sharp(Buffer.from(mask), { raw: { width: side, height: side, channels: 1 } }).png().toBuffer());
    const saved = await runCli(home, ['masks', sagittal.caseId, String(z + 1), '--from', png]);
    expect(saved.code, saved.stderr).toBe(0);

    const exported = await runCliJson<{ files: string[]; skipped: unknown[] }>(home, ['export', path.join(tempDir(), 'seg'), '--format', 'dicom-seg']);
    expect(exported.code, JSON.stringify(exported.json)).toBe(0);
    const seg = JSON.parse(runFixtureScript('make_seg_source.py', ['read-seg', exported.json.files[0]!])) as {
      rows: number; columns: number; algorithmType: string; frames: { position: number[]; pixels: number[] }[];
    };
    expect(seg.algorithmType).toBe('MANUAL');
    expect(seg.frames).toHaveLength(images);
    // Sagittal image c sits at x = columns[c]·0.9375 mm; its rows run from the top slice down, its columns toward
    // posterior (make_dicom.py). So axial pixel (x, y) of slice z is image x, row (slices − 1 − z), column y.
    const expected = new Set(drawn.map(([x, y]) => `${x}:${fixtures.slices - 1 - z}:${y}`));
    const found = new Set<string>();
    for (const frame of seg.frames) {
      // The frame's image, by where it sits (frames follow the series' own slice order, not the file list).
      const image = sagittal.columns!.indexOf(Math.round(frame.position[0]! / 0.9375));
      expect(image).toBeGreaterThanOrEqual(0);
      frame.pixels.forEach((v, p) => v && found.add(`${image}:${Math.floor(p / seg.columns)}:${p % seg.columns}`));
    }
    expect([...found].sort()).toEqual([...expected].sort());
  }, 180_000);
});
