// Writes the scanner-import benchmark's inputs in TypeScript (a user running `brainseg bench` may have no Python):
// a BraTS-style NIfTI case (four int16 .nii.gz sequences and a _seg label file) and a 16-bit DICOM MR series
// (one file per slice, shuffled names without .dcm, RescaleSlope/Intercept), both from a SourceCase. Each writer
// returns the values it wrote, so a test can check that the readers give them back.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import dcmjs from 'dcmjs';
import { nifti1Header } from '../exporter/volumes/nifti1-header.js';
import { resampleStack, toStored16, type Sequence, type SourceCase } from './scanner-phantom.js';

const gzipAsync = promisify(gzip);

// NIfTI-1 header fields the uint8 header of nifti1Header is changed in (offsets of the 348-byte header).
const DATATYPE_OFFSET = 70;
const BITPIX_OFFSET = 72;
const CAL_MAX_OFFSET = 124;
const DT_INT16 = 4;

/** Scanner-like value ranges per sequence: stored value ≈ 8-bit value × scale. */
const SCALE: Record<Sequence, number> = { t1: 9, flair: 12, t1c: 10, t2: 14 };
/** BraTS 2020 names its files `<case>_<suffix>.nii.gz`; the suffixes the importer reads by name. */
const BRATS_SUFFIX: Record<Sequence, string> = { t1: 't1', flair: 'flair', t1c: 't1ce', t2: 't2' };
/** BraTS label of peritumoral oedema: every lesion voxel gets it (any non-zero label counts as lesion). */
export const BRATS_LESION_LABEL = 2;

export interface WrittenNiftiCase {
  /** The patient folder (the import path). */
  folder: string;
  caseId: string;
  dims: [number, number, number];
  files: string[];
  bytes: number;
  /** What was written, i fastest: int16 stored values per sequence (scl_slope 1, scl_inter 0) and the labels. */
  values: Record<Sequence, Int16Array>;
  labels: Uint8Array;
}

/** A BraTS-style voxel → LPS affine: 1 mm voxels, i toward the patient's left, j toward posterior (as BraTS). */
export function bratsAffine(dims: readonly [number, number, number]): number[] {
  return [1, 0, 0, 0, 0, 1, 0, -(dims[1] - 1), 0, 0, 1, 0, 0, 0, 0, 1];
}

/** A single-file NIfTI-1 (.nii.gz): nifti1Header's header set to the data's type, no extensions, then the voxels. */
async function writeNiftiGz(file: string, dims: [number, number, number], data: Int16Array | Uint8Array, description: string): Promise<number> {
  const header = nifti1Header(dims, bratsAffine(dims), description);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (data instanceof Int16Array) {
    view.setInt16(DATATYPE_OFFSET, DT_INT16, true);
    view.setInt16(BITPIX_OFFSET, 16, true);
    view.setFloat32(CAL_MAX_OFFSET, 0, true); // no display range: viewers take the data's
  }
  // vox_offset is 352: the 348-byte header, then 4 zero bytes ("no extensions").
  const voxels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // little-endian, as the header says
  const whole = Buffer.concat([header, Buffer.alloc(4), voxels]);
  const compressed = await gzipAsync(whole);
  writeFileSync(file, compressed);
  return compressed.length;
}

/**
 * A BraTS 2020-style patient folder `<parent>/<caseId>/` with `<caseId>_{flair,t1,t1ce,t2,seg}.nii.gz` on a
 * `dims` grid (BraTS: 240×240×155, 1 mm). The images are int16, the labels uint8 (2 where the source has lesion).
 */
export async function writeBratsCase(parent: string, source: SourceCase, options: { caseId?: string; dims?: [number, number, number] } = {}): Promise<WrittenNiftiCase> {
  const caseId = options.caseId ?? 'BraTS20_Training_901';
  const dims = options.dims ?? [240, 240, 155];
  const folder = path.join(parent, caseId);
  mkdirSync(folder, { recursive: true });
  const values = {} as Record<Sequence, Int16Array>;
  const voxels = dims[0] * dims[1] * dims[2];
  (Object.keys(SCALE) as Sequence[]).forEach((sequence, n) => {
    values[sequence] = toStored16(resampleStack(source, source.channels[sequence], dims, false), SCALE[sequence], new Int16Array(voxels), 0x9e3779b9 + n);
  });
  const nearest = resampleStack(source, source.mask, dims, true);
  const labels = new Uint8Array(voxels);
  for (let i = 0; i < voxels; i++) labels[i] = nearest[i]! > 0 ? BRATS_LESION_LABEL : 0;
  const jobs: [string, Int16Array | Uint8Array][] = [
    ...(Object.keys(SCALE) as Sequence[]).map((s): [string, Int16Array] => [BRATS_SUFFIX[s], values[s]]),
    ['seg', labels],
  ];
  const files = jobs.map(([suffix]) => path.join(folder, `${caseId}_${suffix}.nii.gz`));
  const sizes = await Promise.all(jobs.map(([suffix, data], n) => writeNiftiGz(files[n]!, dims, data, `BrainSeg bench ${suffix} (${source.name})`)));
  return { folder, caseId, dims, files, bytes: sizes.reduce((a, b) => a + b, 0), values, labels };
}

export interface WrittenDicomSeries {
  /** The folder of the series' files (the import path). */
  folder: string;
  /** The case id the importer gives the study: PatientID_StudyDate. */
  caseId: string;
  columns: number;
  rows: number;
  slices: number;
  files: string[];
  bytes: number;
  slope: number;
  intercept: number;
  pixelMm: number;
  sliceMm: number;
  /** Stored (unsigned 16-bit) values, [slice][row][column], slice 1 (lowest z) first; real = stored · slope + intercept. */
  stored: Uint16Array;
}

export interface DicomSeriesOptions {
  /** Rows = columns (default 512). */
  size?: number;
  /** Files (default 200). */
  slices?: number;
  /** Field of view across the rows and columns, mm (default 240). */
  fieldOfViewMm?: number;
  /** Distance from one slice to the next, mm (default 1). */
  sliceMm?: number;
}

const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_CLASS_UID = '2.25.35937018642604625862919965605521550836';
export const BENCH_PATIENT_ID = 'BENCH-DICOM';
const STUDY_DATE = '20240102';
/** RescaleSlope and RescaleIntercept of the series (real = stored · slope + intercept). */
export const DICOM_SLOPE = 0.5;
export const DICOM_INTERCEPT = -10;

/** A stable UID from a name: 2.25 and 120 bits of its SHA-256, as decimal. */
function uidOf(name: string): string {
  return `2.25.${BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 30)}`).toString()}`;
}

/**
 * An axial FLAIR series, one classic MR Image Storage file per slice (explicit VR little endian, unsigned 16-bit,
 * MONOCHROME2), written by dcmjs's Part-10 writer. File names are hashes (`IM7F3A…`, no extension), so their order
 * says nothing about the slice order; the reader must sort by position.
 */
export function writeDicomSeries(folder: string, source: SourceCase, options: DicomSeriesOptions = {}): WrittenDicomSeries {
  const size = options.size ?? 512;
  const slices = options.slices ?? 200;
  const pixelMm = (options.fieldOfViewMm ?? 240) / size;
  const sliceMm = options.sliceMm ?? 1;
  const plane = size * size;
  const stored = toStored16(resampleStack(source, source.channels.flair, [size, size, slices], false), SCALE.flair, new Uint16Array(plane * slices), 0x85ebca6b);
  mkdirSync(folder, { recursive: true });
  const tag = `${source.name} ${size} ${slices}`;
  const study = uidOf(`study ${tag}`);
  const series = uidOf(`series ${tag}`);
  const frameOfReference = uidOf(`frame ${tag}`);
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const files: string[] = [];
  let bytes = 0;
  const half = ((size - 1) * pixelMm) / 2;
  for (let k = 0; k < slices; k++) {
    const instance = uidOf(`instance ${tag} ${k}`);
    const z = (k - (slices - 1) / 2) * sliceMm;
    const pixels = stored.slice(k * plane, (k + 1) * plane);
    const dataset: Record<string, unknown> = {
      SpecificCharacterSet: 'ISO_IR 100',
      ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
      SOPClassUID: MR_IMAGE_STORAGE,
      SOPInstanceUID: instance,
      StudyDate: STUDY_DATE,
      SeriesDate: STUDY_DATE,
      StudyTime: '093000',
      AccessionNumber: '',
      Modality: 'MR',
      Manufacturer: 'BrainSeg bench',
      ReferringPhysicianName: '',
      StudyDescription: 'MRI BRAIN',
      SeriesDescription: 'AX T2 FLAIR',
      PatientName: 'Bench^Scanner',
      PatientID: BENCH_PATIENT_ID,
      PatientBirthDate: '',
      PatientSex: 'O',
      ScanningSequence: ['SE', 'IR'],
      SequenceVariant: ['SK', 'SP', 'MP'],
      SliceThickness: sliceMm,
      RepetitionTime: 9000,
      EchoTime: 120,
      InversionTime: 2500,
      SpacingBetweenSlices: sliceMm,
      StudyInstanceUID: study,
      SeriesInstanceUID: series,
      StudyID: '1',
      SeriesNumber: 3,
      InstanceNumber: k + 1,
      ImagePositionPatient: [-half, -half, z],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      FrameOfReferenceUID: frameOfReference,
      PositionReferenceIndicator: '',
      SliceLocation: z,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: size,
      Columns: size,
      PixelSpacing: [pixelMm, pixelMm],
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 0,
      WindowCenter: 1200,
      WindowWidth: 2400,
      RescaleIntercept: DICOM_INTERCEPT,
      RescaleSlope: DICOM_SLOPE,
      RescaleType: 'US',
      PixelData: [pixels.buffer],
      _vrMap: { PixelData: 'OW' },
    };
    const file = new DicomDict(DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: [new Uint8Array([0, 1]).buffer],
      MediaStorageSOPClassUID: MR_IMAGE_STORAGE,
      MediaStorageSOPInstanceUID: instance,
      TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
      ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      ImplementationVersionName: 'BRAINSEG',
    }));
    file.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
    const encoded = new Uint8Array(file.write());
    const name = `IM${createHash('sha256').update(`${tag} file ${k}`).digest('hex').slice(0, 10).toUpperCase()}`;
    const target = path.join(folder, name);
    writeFileSync(target, encoded);
    files.push(target);
    bytes += encoded.length;
  }
  return {
    folder, caseId: `${BENCH_PATIENT_ID}_${STUDY_DATE}`, columns: size, rows: size, slices, files, bytes,
    slope: DICOM_SLOPE, intercept: DICOM_INTERCEPT, pixelMm, sliceMm, stored,
  };
}
