// DICOM fixtures for the reader's tests: one LGG patient written as DICOM by pydicom, dcmtk and gdcm
// (test/fixtures/scanner/make_dicom.py), and pydicom's own test files. The tools come from Debian; where they are
// missing the tests say so and skip, except under CI, where a missing tool is a failure.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cachedFixture, cachedProbe } from './fixture-cache.js';
import { cachedLggRaw, FIXTURE_CASE, FIXTURE_PYTHON, runFixtureScript } from './lgg-raw.js';

/** Where pydicom keeps its test files (MR_small*.dcm…). */
export const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

function works(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the DICOM fixtures cannot be made here, or null when they can. Under CI=true a missing tool throws. */
export function missingDicomTools(): string | null {
  const missing = cachedProbe(`dicom-tools-${FIXTURE_PYTHON.replaceAll('/', '_')}`, () => {
    const found: string[] = [];
    if (!works(FIXTURE_PYTHON, ['-c', 'import pydicom, numpy'])) found.push(`${FIXTURE_PYTHON} with pydicom and numpy`);
    for (const tool of ['dcmdump', 'dcmcjpls', 'dcmcjpeg', 'dcmconv', 'dcmmkdir', 'gdcmconv']) {
      if (!works(tool, ['--version'])) found.push(tool);
    }
    return found.length === 0 ? null : found.join(', ');
  });
  if (missing === null) return null;
  const message = `DICOM fixture tools missing: ${missing} (apt install python3-pydicom dcmtk libgdcm-tools)`;
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(`skipping DICOM reader tests: ${message}`);
  return message;
}

export interface DicomFixtureCase {
  folder: string;
  caseId: string;
  columns?: number[];
  missing?: number;
}

export interface DicomFixtures {
  root: string;
  slices: number;
  rows: number;
  columns: number;
  slope: number;
  intercept: number;
  cases: Record<string, DicomFixtureCase>;
  /** The source arrays, slice-major [slice][row][column], cut to `slices`. */
  raw: { flair: Uint8Array; t1: Uint8Array; t1c: Uint8Array };
}

/**
 * The fixtures for the first `slices` slices of FIXTURE_CASE (24: all of them), made once per test run and
 * shared: read them, never write into them.
 */
export async function dicomFixtures(slices = 24): Promise<DicomFixtures> {
  const raw = await cachedLggRaw(FIXTURE_CASE);
  const dir = await cachedFixture(`dicom-${FIXTURE_CASE}-${slices}`, (out) => {
    const manifest = runFixtureScript('make_dicom.py', [raw.dir, path.join(out, 'dicom'), String(slices)]);
    writeFileSync(path.join(out, 'manifest.json'), manifest);
  });
  const root = path.join(dir, 'dicom');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Omit<DicomFixtures, 'root' | 'raw'>;
  const size = manifest.rows * manifest.columns * manifest.slices;
  const read = (name: string) => new Uint8Array(readFileSync(path.join(raw.dir, `${name}.u8`))).subarray(0, size);
  return { ...manifest, root, raw: { flair: read('flair'), t1: read('t1'), t1c: read('t1c') } };
}
