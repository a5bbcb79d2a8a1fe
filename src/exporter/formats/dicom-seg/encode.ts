// A patient's lesion mask as a DICOM Segmentation (binary, one segment) on the grid of the MR series it was drawn
// on, so a PACS files it beside that series and a viewer overlays it. dcmjs's Segmentation derivation has had
// validator problems; the attributes are written here instead and only dcmjs's Part-10 writer is used.
import dcmjs from 'dcmjs';
import type { DicomOrigin } from '../../../importer/formats/volume-format.js';
import { frameGeometry } from './frame-geometry.js';
import { packBits } from './pack-bits.js';
import { MANUFACTURER, SEGMENTATION_STORAGE, segmentationDataset } from './segmentation-dataset.js';
import { newUid } from './uid.js';

export { SEGMENTATION_STORAGE };

export interface DicomSegInput {
  /** The source series: its patient, study and frame of reference are copied, its images referenced. */
  origin: DicomOrigin;
  /** The source volume's grid: `affine` maps voxel (i, j, k) to LPS mm, row-major 4×4. */
  geometry: { dims: readonly [number, number, number]; affine: readonly number[] };
  /** 0 / not 0 on that grid, i fastest, then j, then k (k in `origin.frames` order). */
  mask: Uint8Array;
  algorithmType: 'MANUAL' | 'SEMIAUTOMATIC' | 'AUTOMATIC';
  /** Required unless MANUAL, e.g. 'BrainSeg U-Net model 3'. */
  algorithmName?: string;
  /** Who drew or checked the mask, as a DICOM person name ("Family^Given"). */
  contentCreatorName?: string;
  seriesDescription?: string;
  /** Default 1000, after the scanner's series. */
  seriesNumber?: number;
  /** The workstation's version, written as SoftwareVersions. */
  softwareVersion?: string;
  /** Which installation wrote the object; DICOM requires one for the equipment. */
  deviceSerialNumber?: string;
  now?: Date;
}

/** Raised when the input cannot make a valid SEG; the message says which part and why. */
export class DicomSegError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DicomSegError';
  }
}

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
// Identifies the software that wrote the file (PS3.10 7.1), the same for every BrainSeg Studio version.
const IMPLEMENTATION_CLASS_UID = '2.25.35937018642604625862919965605521550836';
const IMPLEMENTATION_VERSION_NAME = 'BRAINSEG';
// LO (SegmentAlgorithmName, SeriesDescription, …) and each PN component hold at most 64 characters.
const MAX_LONG_STRING = 64;

/** The SEG as a Part-10 file (explicit VR little endian). Throws DicomSegError on inconsistent input. */
export function encodeDicomSeg(input: DicomSegInput): Uint8Array {
  checkInput(input);
  const [columns, rows] = input.geometry.dims;
  let geometry;
  try {
    geometry = frameGeometry(input.geometry.dims, input.geometry.affine);
  } catch (error) {
    throw new DicomSegError((error as Error).message);
  }
  const uids = { series: newUid(), instance: newUid(), dimensionOrganization: newUid() };
  const dataset = segmentationDataset({
    origin: input.origin,
    rows,
    columns,
    geometry,
    pixelData: packBits(input.mask),
    algorithmType: input.algorithmType,
    algorithmName: input.algorithmType === 'MANUAL' ? undefined : input.algorithmName,
    contentCreatorName: input.contentCreatorName ?? '',
    seriesDescription: input.seriesDescription ?? 'FLAIR abnormality segmentation',
    seriesNumber: input.seriesNumber ?? 1000,
    softwareVersion: input.softwareVersion ?? 'unknown',
    deviceSerialNumber: input.deviceSerialNumber ?? MANUFACTURER,
    now: input.now ?? new Date(),
    uids,
  });
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const file = new DicomDict(DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: [new Uint8Array([0, 1]).buffer],
    MediaStorageSOPClassUID: SEGMENTATION_STORAGE,
    MediaStorageSOPInstanceUID: uids.instance,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  }));
  file.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(file.write());
}

function checkInput(input: DicomSegInput): void {
  const { dims, affine } = input.geometry;
  if (dims.length !== 3 || dims.some((n) => !Number.isInteger(n) || n < 1 || n > 0xffff)) {
    throw new DicomSegError(`grid dimensions ${dims.join('×')} are not whole numbers from 1 to 65535`);
  }
  if (affine.length !== 16) throw new DicomSegError(`the affine has ${affine.length} values, not 16`);
  if (input.mask.length !== dims[0] * dims[1] * dims[2]) {
    throw new DicomSegError(`the mask holds ${input.mask.length} voxels but the grid ${dims.join('×')} needs ${dims[0] * dims[1] * dims[2]}`);
  }
  if (input.origin.frames.length !== dims[2]) {
    throw new DicomSegError(`the source series has ${input.origin.frames.length} images but the grid ${dims[2]} slices`);
  }
  if (input.origin.frames.some((f) => f.frameNumber !== null && (!Number.isInteger(f.frameNumber) || f.frameNumber < 1))) {
    throw new DicomSegError('a source frame number is not a whole number from 1');
  }
  for (const [name, uid] of [['StudyInstanceUID', input.origin.study.instanceUid], ['SeriesInstanceUID', input.origin.series.instanceUid],
    ['FrameOfReferenceUID', input.origin.series.frameOfReferenceUid], ...input.origin.frames.flatMap((f) => [
      ['ReferencedSOPClassUID', f.sopClassUid], ['ReferencedSOPInstanceUID', f.sopInstanceUid]])] as const) {
    // Every one is Type 1 in the SEG: without it the object cannot be placed or tied to its source.
    if (!/^[0-9]+(\.[0-9]+)*$/.test(uid) || uid.length > 64) throw new DicomSegError(`the source's ${name} "${uid}" is not a DICOM UID`);
  }
  if (input.algorithmType !== 'MANUAL' && !input.algorithmName?.trim()) {
    throw new DicomSegError(`a ${input.algorithmType} segmentation needs the algorithm's name`);
  }
  for (const [name, value] of [['algorithm name', input.algorithmName], ['series description', input.seriesDescription],
    ['content creator name', input.contentCreatorName], ['software version', input.softwareVersion],
    ['device serial number', input.deviceSerialNumber]] as const) {
    if (value !== undefined && value.length > MAX_LONG_STRING) throw new DicomSegError(`the ${name} is longer than ${MAX_LONG_STRING} characters`);
  }
}
