// The shared LGG patients as raw arrays, the common input of the scanner-format fixture makers
// (test/fixtures/scanner/*.py, run with Debian's python3 and its nibabel/pydicom/numpy): they turn these into
// NIfTI and DICOM with independent tools, so our readers are checked against files they did not write.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { cachedFixture } from './fixture-cache.js';
import { REPO_ROOT, samplePatientFolder } from './sample-data.js';

/** Debian's python3 (with python3-nibabel, python3-pydicom): the pyenv python on PATH lacks them. */
export const FIXTURE_PYTHON = process.env['BRAINSEG_FIXTURE_PYTHON'] ?? '/usr/bin/python3';

/** Geometry the fixtures give the LGG slices (their TIFFs carry none): 0.9375 mm pixels, 3 mm slices. */
export const LGG_FIXTURE_SPACING = { pixel: 0.9375, slice: 3 } as const;

/**
 * The patient the NIfTI and DICOM fixtures are both made of (24 slices, a lesion the bundled model finds), so
 * scanner-equivalence imports and predicts its TIFFs once for both comparisons.
 */
export const FIXTURE_CASE = 'TCGA_CS_6665_20010817';

export interface LggRaw {
  dir: string;
  caseId: string;
  /** width, height, slices */
  dims: [number, number, number];
}

/**
 * Writes one sample patient as `t1.u8`, `flair.u8`, `t1c.u8` and `mask.u8` (0/1), each slice-major
 * [slice][row][column] in TIFF slice order (slice 1 first), plus `meta.json` ({ caseId, dims }).
 * Slice n, row r, column c is meant to sit at LPS (c·pixel, r·pixel, (n−1)·slice): columns toward the patient's
 * left, rows toward posterior, slices toward the head (see docs/formats.md).
 */
export async function writeLggRaw(caseId: string, outDir: string): Promise<LggRaw> {
  const folder = samplePatientFolder(caseId);
  const numbers = readdirSync(folder)
    .map((f) => /_(\d+)\.tif$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  let width = 0;
  let height = 0;
  const channels: Buffer[][] = [[], [], []];
  const masks: Buffer[] = [];
  for (const n of numbers) {
    const image = await sharp(path.join(folder, `${caseId}_${n}.tif`)).raw().toBuffer({ resolveWithObject: true });
    ({ width, height } = image.info);
    const pixels = width * height;
    for (let c = 0; c < 3; c++) {
      const plane = Buffer.alloc(pixels);
      for (let i = 0; i < pixels; i++) plane[i] = image.data[i * image.info.channels + c]!;
      channels[c]!.push(plane);
    }
    const mask = await sharp(path.join(folder, `${caseId}_${n}_mask.tif`)).raw().toBuffer({ resolveWithObject: true });
    const plane = Buffer.alloc(pixels);
    for (let i = 0; i < pixels; i++) plane[i] = mask.data[i * mask.info.channels]! >= 128 ? 1 : 0;
    masks.push(plane);
  }
  mkdirSync(outDir, { recursive: true });
  // LGG channel order: pre-contrast T1, FLAIR, post-contrast T1.
  writeFileSync(path.join(outDir, 't1.u8'), Buffer.concat(channels[0]!));
  writeFileSync(path.join(outDir, 'flair.u8'), Buffer.concat(channels[1]!));
  writeFileSync(path.join(outDir, 't1c.u8'), Buffer.concat(channels[2]!));
  writeFileSync(path.join(outDir, 'mask.u8'), Buffer.concat(masks));
  const dims: [number, number, number] = [width, height, numbers.length];
  writeFileSync(path.join(outDir, 'meta.json'), JSON.stringify({ caseId, dims, spacing: LGG_FIXTURE_SPACING }));
  return { dir: outDir, caseId, dims };
}

/** `writeLggRaw(caseId)` made once per test run (test/helpers/fixture-cache.ts); read-only. */
export async function cachedLggRaw(caseId: string): Promise<LggRaw> {
  const dir = await cachedFixture(`raw-${caseId}`, async (out) => void (await writeLggRaw(caseId, out)));
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { dims: LggRaw['dims'] };
  return { dir, caseId, dims: meta.dims };
}

/** Runs one of test/fixtures/scanner/*.py with Debian's python3; returns its standard output. */
export function runFixtureScript(script: string, args: readonly string[]): string {
  return execFileSync(FIXTURE_PYTHON, [path.join(REPO_ROOT, 'test/fixtures/scanner', script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
