// NIfTI fixtures for the reader and writer tests: a real LGG patient (test/helpers/lgg-raw.ts) written by nibabel
// in every layout the reader must handle (test/fixtures/scanner/make_nifti.py), and nibabel's own reading of a
// file to compare ours with. Without Debian's python3 and nibabel the tests are skipped with a message, except
// in CI (`CI=true`), where that is an error, so the suite cannot go green by skipping.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cachedFixture, cachedProbe } from './fixture-cache.js';
import { cachedLggRaw, FIXTURE_CASE, FIXTURE_PYTHON, runFixtureScript } from './lgg-raw.js';

/** The folder of nibabel's own test files (real third-party NIfTI: anatomical.nii, example4d.nii.gz, …). */
export const NIBABEL_DATA = '/usr/lib/python3/dist-packages/nibabel/tests/data';

/** Whether the fixture tools are here; throws in CI when they are not. */
export function niftiToolsAvailable(): boolean {
  const problem = cachedProbe(`nifti-tools-${FIXTURE_PYTHON.replaceAll('/', '_')}`, () => {
    if (!existsSync(FIXTURE_PYTHON)) return `no python at ${FIXTURE_PYTHON}`;
    try {
      execFileSync(FIXTURE_PYTHON, ['-c', 'import nibabel, numpy'], { stdio: 'ignore' });
      return null;
    } catch {
      return `${FIXTURE_PYTHON} cannot import nibabel and numpy`;
    }
  });
  if (problem === null) return true;
  const hint = '(apt install python3-nibabel python3-numpy, or set BRAINSEG_FIXTURE_PYTHON)';
  if (process.env['CI']) throw new Error(`NIfTI fixture tools missing: ${problem} ${hint}`);
  console.warn(`SKIPPED NIfTI fixture tests: ${problem} ${hint}`);
  return false;
}

export interface NiftiFixtures {
  root: string;
  caseId: string;
  /** width (i), height (j), slices (k) of the axial files. */
  dims: [number, number, number];
  /** The source arrays, in the axial files' voxel order (i fastest): slice-major rows of columns is exactly that. */
  raw: { flair: Uint8Array; t1: Uint8Array; t1c: Uint8Array; mask: Uint8Array };
  /** nibabel's RAS affine and shape of each written file, by path relative to root. */
  files: Record<string, { affine: number[][]; shape: number[] }>;
  path(relative: string): string;
}

/** The fixtures of FIXTURE_CASE, made once per test run and shared: read them, never write into them. */
export async function niftiFixtures(): Promise<NiftiFixtures> {
  const raw = await cachedLggRaw(FIXTURE_CASE);
  const dir = await cachedFixture(`nifti-${FIXTURE_CASE}`, (out) => {
    const manifest = runFixtureScript('make_nifti.py', ['fixtures', raw.dir, path.join(out, 'nifti')]);
    writeFileSync(path.join(out, 'manifest.json'), manifest);
  });
  const root = path.join(dir, 'nifti');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    caseId: string; files: NiftiFixtures['files'];
  };
  const read = (name: string) => new Uint8Array(readFileSync(path.join(raw.dir, `${name}.u8`)));
  return {
    root, caseId: manifest.caseId, dims: raw.dims, files: manifest.files,
    raw: { flair: read('flair'), t1: read('t1'), t1c: read('t1c'), mask: read('mask') },
    path: (relative) => path.join(root, relative),
  };
}

export interface NibabelReading {
  shape: number[];
  affine: number[][];
  sform: number[][];
  qform: number[][];
  sform_code: number;
  qform_code: number;
  /** Volume 0's voxels after scl_slope/scl_inter, i fastest. */
  values: Float64Array;
}

/** How nibabel reads each file (volume 0 of a 4-D one), by one python process. */
export function nibabelReadings(files: readonly string[], scratch: string): NibabelReading[] {
  return runNibabel(files.map((file) => ['dump', file]), scratch).map(asReading);
}

interface NibabelJob {
  info: unknown;
  out: string;
}

function asReading({ info, out }: NibabelJob): NibabelReading {
  const bytes = readFileSync(out);
  return { ...(info as Omit<NibabelReading, 'values'>), values: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8) };
}

function asLabel({ info, out }: NibabelJob): NibabelLabel {
  return { ...(info as Omit<NibabelLabel, 'values'>), values: new Uint8Array(readFileSync(out)) };
}

/**
 * Runs make_nifti.py's dump/label-info jobs in one process (each python start with numpy and nibabel costs ~0.7 s
 * of CPU); returns each job's printed facts and the file its voxels went to.
 */
function runNibabel(jobs: readonly (readonly ['dump' | 'label-info', string])[], scratch: string): NibabelJob[] {
  const outs = jobs.map(([command, file], n) => path.join(scratch, `${n}-${path.basename(file)}.${command === 'dump' ? 'f64' : 'u8'}`));
  const printed = runFixtureScript('make_nifti.py', ['many', JSON.stringify(jobs.map(([command, file], n) => [command, file, outs[n]]))]);
  return printed.trim().split('\n').map((line, n) => ({ info: JSON.parse(line) as unknown, out: outs[n]! }));
}

export interface NibabelLabel {
  shape: number[];
  dtype: string;
  vox_offset: number;
  sform: number[][] | null;
  sform_code: number;
  qform: number[][] | null;
  qform_code: number;
  pixdim: number[];
  slope_inter: [number | null, number | null];
  cal: [number, number];
  sizeof_hdr: number;
  big_endian: boolean;
  intent: string;
  values: Uint8Array;
}

/** Written label files as nibabel reads them, by one python process. */
export function nibabelLabels(files: readonly string[], scratch: string): NibabelLabel[] {
  return runNibabel(files.map((file) => ['label-info', file]), scratch).map(asLabel);
}

/** A written label as nibabel reads it, and how nibabel reads the source it was written onto: one python process. */
export function nibabelLabelOnSource(label: string, source: string, scratch: string): [NibabelLabel, NibabelReading] {
  const [written, read] = runNibabel([['label-info', label], ['dump', source]], scratch);
  return [asLabel(written!), asReading(read!)];
}

/** nibabel's RAS affine (4×4 rows) as our row-major LPS affine: x and y rows negated. */
export function rasToLps(affine: number[][]): number[] {
  return affine.flat().map((v, n) => (n < 8 ? -v : v));
}
