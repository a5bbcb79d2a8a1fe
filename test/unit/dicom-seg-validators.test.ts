// The DICOM-SEG writer against the outside world: synthetic MR series written by pydicom
// (test/fixtures/scanner/make_seg_source.py), a SEG written onto each, then dicom3tools' dciodvfy (the IOD
// checker), dcmtk's dcmftest and dcmdump, and pydicom reading it back. The origins and grids are built here from
// the values the fixture reports, not by the DICOM reader, so this tests the writer alone.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeDicomSeg, type DicomSegInput } from '../../src/exporter/formats/dicom-seg/encode.js';
import type { DicomOrigin } from '../../src/importer/formats/volume-format.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/scanner/make_seg_source.py', import.meta.url));
// Debian's Python has pydicom and numpy; the pyenv one on PATH may not.
const PYTHON = '/usr/bin/python3';

type Vec3 = [number, number, number];

interface SourceSeries {
  patient: DicomOrigin['patient'];
  study: DicomOrigin['study'];
  series: DicomOrigin['series'];
  rows: number;
  columns: number;
  orientation: number[];
  pixelSpacing: [number, number];
  frames: Array<DicomOrigin['frames'][number] & { position: Vec3 }>;
}

interface ReadSeg {
  sopClassUid: string; modality: string; patientId: string; patientName: string; studyInstanceUid: string;
  seriesInstanceUid: string; sopInstanceUid: string; frameOfReferenceUid: string; rows: number; columns: number;
  segmentLabel: string; algorithmType: string; algorithmName: string | null;
  orientation: number[]; pixelSpacing: number[];
  referencedSeries: { seriesInstanceUid: string; instances: Array<[string, string]> };
  frames: Array<{
    position: Vec3; dimensionIndexValues: number[]; segment: number; sopClassUid: string; sopInstanceUid: string;
    frameNumber: number | null; pixels: number[];
  }>;
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, output: `${result.stdout}${result.stderr}`, error: result.error };
}

function missingTools(): string[] {
  const missing = ['/usr/bin/dciodvfy', '/usr/bin/dcmftest', '/usr/bin/dcmdump'].filter((tool) => !existsSync(tool));
  if (run(PYTHON, ['-c', 'import pydicom, numpy']).code !== 0) missing.push(`${PYTHON} with pydicom and numpy`);
  return missing;
}

const missing = missingTools();
if (missing.length > 0) {
  const message = `DICOM-SEG validator tests need ${missing.join(', ')} (apt-get install dicom3tools dcmtk python3-pydicom)`;
  if (process.env['CI']) throw new Error(message);
  console.warn(`${message}: skipped.`);
}

/** The source volume's grid as the DICOM reader would give it: i along the rows, j down the columns, k across slices. */
function gridOf(source: SourceSeries): DicomSegInput['geometry'] {
  const [rowSpacing, columnSpacing] = source.pixelSpacing;
  const o = source.orientation;
  const first = source.frames[0]!.position;
  const step = source.frames.length > 1 ? source.frames[1]!.position.map((v, n) => v - first[n]!) : [0, 0, 1];
  const i = [o[0]! * columnSpacing, o[1]! * columnSpacing, o[2]! * columnSpacing];
  const j = [o[3]! * rowSpacing, o[4]! * rowSpacing, o[5]! * rowSpacing];
  return {
    dims: [source.columns, source.rows, source.frames.length],
    affine: [i[0]!, j[0]!, step[0]!, first[0], i[1]!, j[1]!, step[1]!, first[1], i[2]!, j[2]!, step[2]!, first[2], 0, 0, 0, 1],
  };
}

function originOf(source: SourceSeries): DicomOrigin {
  return {
    format: 'dicom',
    patient: source.patient,
    study: source.study,
    series: source.series,
    frames: source.frames.map(({ sopClassUid, sopInstanceUid, frameNumber }) => ({ sopClassUid, sopInstanceUid, frameNumber })),
  };
}

/**
 * A mask with something different on every slice: a rectangle and the first pixel, nothing (slice 1), a disc,
 * a diagonal line and the very last pixel (so the last, possibly partial, byte carries data).
 */
function testMask(dims: readonly [number, number, number]): Uint8Array {
  const [ni, nj, nk] = dims;
  const mask = new Uint8Array(ni * nj * nk);
  const set = (i: number, j: number, k: number) => { mask[i + j * ni + k * ni * nj] = 1; };
  for (let k = 0; k < nk; k++) {
    const shape = k % 4;
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        if (shape === 0 && i >= 3 && i < 11 && j >= 5 && j < 9) set(i, j, k);
        if (shape === 2 && (i - ni / 2) ** 2 + (j - nj / 2) ** 2 < (nj / 4) ** 2) set(i, j, k);
        if (shape === 3 && i === j) set(i, j, k);
      }
    }
    if (shape === 0) set(0, 0, k);
  }
  set(ni - 1, nj - 1, nk - 1);
  return mask;
}

describe.skipIf(missing.length > 0)('DICOM-SEG writer against the DICOM tools', () => {
  let sources: Record<'axial' | 'sagittal' | 'enhanced', SourceSeries>;

  beforeAll(() => {
    const root = tempDir.persistent('brainseg-seg-source-');
    const made = run(PYTHON, [FIXTURE, 'write', root]);
    expect(made.code, made.output).toBe(0);
    sources = JSON.parse(made.output) as typeof sources;
  });

  function writeSeg(source: SourceSeries, extra: Partial<DicomSegInput> = {}) {
    const geometry = gridOf(source);
    const mask = testMask(geometry.dims);
    const file = path.join(tempDir(), 'seg.dcm');
    writeFileSync(file, encodeDicomSeg({
      origin: originOf(source), geometry, mask, algorithmType: 'MANUAL', contentCreatorName: 'Reader^Ann',
      now: new Date(2024, 4, 6, 7, 8, 9), ...extra,
    }));
    return { file, mask, geometry };
  }

  /** No error and no warning from dciodvfy (it prints only "Segmentation"), but for the warnings `allowed`. */
  function expectNoIodProblems(file: string, allowed: RegExp[] = []) {
    const verified = run('/usr/bin/dciodvfy', ['-new', file]);
    expect(verified.error).toBeUndefined();
    const problems = verified.output.split('\n')
      .filter((line) => /error|warning/i.test(line))
      .filter((line) => /error/i.test(line) || !allowed.some((pattern) => pattern.test(line)));
    expect(problems, verified.output).toEqual([]);
  }

  function readSeg(file: string): ReadSeg {
    const read = run(PYTHON, [FIXTURE, 'read-seg', file]);
    expect(read.code, read.output).toBe(0);
    return JSON.parse(read.output) as ReadSeg;
  }

  it.each(['axial', 'sagittal', 'enhanced'] as const)('%s: passes dciodvfy, dcmftest and dcmdump', (name) => {
    const { file } = writeSeg(sources[name], name === 'axial' ? {} : { algorithmType: 'AUTOMATIC', algorithmName: 'BrainSeg U-Net model 3' });
    expectNoIodProblems(file);
    const part10 = run('/usr/bin/dcmftest', [file]);
    expect(part10.output).toMatch(/^yes:/m);
    const dump = run('/usr/bin/dcmdump', ['+L', file]);
    expect(dump.code, dump.output).toBe(0);
    expect(dump.output).toMatch(/\(0008,0016\) UI =SegmentationStorage/);
    expect(dump.output).toMatch(/\(0002,0010\) UI =LittleEndianExplicit/);
  });

  it('stays valid when the source leaves its optional (Type 2) patient and study attributes empty', () => {
    const source = sources.axial;
    const { file } = writeSeg({
      ...source,
      patient: { ...source.patient, name: '', birthDate: '', sex: '' },
      study: { ...source.study, date: '', time: '', id: '', accessionNumber: '', referringPhysicianName: '', description: '' },
    }, { contentCreatorName: '' });
    // Empty is valid for these Type 2 attributes; dciodvfy only notes that a DICOMDIR could not be built from
    // them. The SEG copies the source's study, so it cannot do better than the source.
    expectNoIodProblems(file, [/^Warning - <\/(StudyDate|StudyTime|StudyID)\(.*needed to build DICOMDIR$/]);
  });

  it.each(['axial', 'sagittal', 'enhanced'] as const)('%s: pydicom reads back the source\'s identity, references, positions and the mask', (name) => {
    const source = sources[name];
    const { file, mask, geometry } = writeSeg(source, { algorithmType: 'SEMIAUTOMATIC', algorithmName: 'BrainSeg U-Net model 3' });
    const seg = readSeg(file);
    expect(seg).toMatchObject({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4', modality: 'SEG',
      patientId: source.patient.id, patientName: source.patient.name, studyInstanceUid: source.study.instanceUid,
      frameOfReferenceUid: source.series.frameOfReferenceUid, rows: source.rows, columns: source.columns,
      segmentLabel: 'FLAIR abnormality', algorithmType: 'SEMIAUTOMATIC', algorithmName: 'BrainSeg U-Net model 3',
    });
    expect(seg.seriesInstanceUid).not.toBe(source.series.instanceUid);
    expect(seg.seriesInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(seg.sopInstanceUid).toMatch(/^2\.25\.\d+$/);
    for (const [n, v] of seg.orientation.entries()) expect(v).toBeCloseTo(source.orientation[n]!, 8);
    expect(seg.pixelSpacing[0]).toBeCloseTo(source.pixelSpacing[0], 8);
    expect(seg.pixelSpacing[1]).toBeCloseTo(source.pixelSpacing[1], 8);

    const instances = [...new Set(source.frames.map((f) => f.sopInstanceUid))];
    expect(seg.referencedSeries.seriesInstanceUid).toBe(source.series.instanceUid);
    expect(seg.referencedSeries.instances).toEqual(instances.map((uid) => [source.frames[0]!.sopClassUid, uid]));

    const [ni, nj] = geometry.dims;
    expect(seg.frames).toHaveLength(source.frames.length);
    for (const [k, frame] of seg.frames.entries()) {
      const expected = source.frames[k]!;
      expect(frame).toMatchObject({
        sopClassUid: expected.sopClassUid, sopInstanceUid: expected.sopInstanceUid, frameNumber: expected.frameNumber,
        segment: 1, dimensionIndexValues: [1, k + 1],
      });
      for (let axis = 0; axis < 3; axis++) expect(frame.position[axis]).toBeCloseTo(expected.position[axis]!, 4);
      expect(frame.pixels).toEqual([...mask.subarray(k * ni * nj, (k + 1) * ni * nj)]);
    }
    expect(seg.frames[1]!.pixels.every((p) => p === 0)).toBe(true);
  });
});
