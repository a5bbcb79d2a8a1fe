// Why a DICOM object or series is not imported as an MR volume. Scanners and PACS exports put reports, key images,
// presentation states, segmentations, scouts and other modalities beside the images; each is named, not guessed at.
import type { DicomHeader } from './dicom-header.js';
import { describeTransferSyntax, pixelEncodingOf } from './transfer-syntaxes.js';

const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
export const ENHANCED_MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4.1';
const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

// SOP classes (or their prefixes) that never hold an image volume, with what a user would call them.
const NON_IMAGE_CLASSES: Array<[prefix: string, name: string]> = [
  ['1.2.840.10008.5.1.4.1.1.88.59', 'a Key Object Selection document (KOS)'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'a structured report (SR)'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'a presentation state (GSPS)'],
  ['1.2.840.10008.5.1.4.1.1.66.4', 'a segmentation (DICOM-SEG)'],
  ['1.2.840.10008.5.1.4.1.1.66.', 'registration or fiducial data'],
  ['1.2.840.10008.5.1.4.1.1.66', 'raw data'],
  ['1.2.840.10008.5.1.4.1.1.481.', 'a radiotherapy object (RT)'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'an encapsulated document (PDF/CDA)'],
  ['1.2.840.10008.5.1.4.1.1.4.2', 'MR spectroscopy'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'a waveform'],
  ['1.2.840.10008.5.1.4.1.1.67', 'a real world value mapping'],
  ['1.2.840.10008.5.1.4.1.1.68.', 'a surface'],
  ['1.2.840.10008.5.1.4.1.1.7', 'a secondary capture (screenshot)'],
];

/** Objects skipped without a word: the DICOMDIR only indexes the files the scan finds anyway. */
export function isSilentlyIgnored(header: DicomHeader): boolean {
  return header.sopClassUid === MEDIA_STORAGE_DIRECTORY;
}

/** A reason when the object's class is not an image we read (reports, presentation states, SEG…), else null. */
export function nonImageReason(header: DicomHeader): string | null {
  const uid = header.sopClassUid;
  const mr = uid === MR_IMAGE_STORAGE || uid === ENHANCED_MR_IMAGE_STORAGE;
  for (const [prefix, name] of mr ? [] : NON_IMAGE_CLASSES) {
    if (uid === prefix || uid.startsWith(prefix)) return `not an image volume: ${name}, SOP Class ${uid}`;
  }
  if (!header.hasPixelData) {
    return header.hasFloatPixelData ? 'holds floating-point pixel data, which is not imported' : 'has no pixel data';
  }
  return null;
}

/** A reason when the series is not MR. */
export function modalityReason(header: DicomHeader): string | null {
  const modality = header.series.modality || 'not stated';
  return modality === 'MR' ? null : `modality ${modality}: only MR is imported`;
}

// Planning scans: 3-plane localizers, scouts, surveys, Siemens AAHead_Scout, GE 3-plane loc, Philips Survey.
const LOCALIZER_WORDS = /(localizer|localiser|scout|survey|3[-_ ]?plane|tri[-_ ]?pilot|(?<![a-z])loc(?![a-z])|aahead|(?<![a-z])plan(?![a-z])|(?<![a-z])pilot(?![a-z]))/i;

/** A reason when the series is a localizer or scout. */
export function localizerReason(header: DicomHeader): string | null {
  if (header.acquisition.imageType.includes('LOCALIZER')) return 'a localizer: ImageType LOCALIZER';
  for (const [tag, value] of [
    ['SeriesDescription', header.acquisition.seriesDescription],
    ['ProtocolName', header.acquisition.protocolName],
  ] as const) {
    if (LOCALIZER_WORDS.test(value)) return `a localizer: ${tag} "${value}"`;
  }
  return null;
}

/** A reason when this image's pixels cannot be read as greyscale MR (colour, bit depth, transfer syntax). */
export function pixelReason(header: DicomHeader): string | null {
  const p = header.pixel;
  if (p.samplesPerPixel !== 1 || !p.photometricInterpretation.startsWith('MONOCHROME')) {
    return `a colour image (${p.photometricInterpretation}, ${p.samplesPerPixel} samples per pixel): only greyscale MR is imported`;
  }
  if (p.rows < 1 || p.columns < 1) return 'its image size (Rows, Columns) is missing';
  if ((p.bitsAllocated !== 8 && p.bitsAllocated !== 16) || p.bitsStored < 1 || p.bitsStored > p.bitsAllocated || p.highBit >= p.bitsAllocated) {
    return `${p.bitsAllocated}-bit pixels (${p.bitsStored} stored) are not supported; 8 and 16 are`;
  }
  if (pixelEncodingOf(header.transferSyntaxUid) === null) {
    return `transfer syntax ${describeTransferSyntax(header.transferSyntaxUid)} is not supported`;
  }
  return null;
}
