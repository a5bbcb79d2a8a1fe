// The attributes of one DICOM object the reader needs, copied out of dicom-parser's data set into plain values so
// the file's bytes can be let go right after the scan (a 400-slice series must not keep 400 buffers alive).
import type { DicomOrigin } from '../../../imaging/volume/origin.js';
import type { DataSet } from './parse-dicom.js';
import { enhancedFramesOf, type FrameGeometry } from './enhanced-frames.js';

export type { FrameGeometry };

/** Words that classify a series (what the scanner called it and how it was acquired). */
export interface AcquisitionText {
  seriesDescription: string;
  protocolName: string;
  sequenceName: string;
  scanningSequence: string;
  sequenceVariant: string;
  imageType: string[];
  /** ms, when stated */
  inversionTime: number | null;
  repetitionTime: number | null;
  echoTime: number | null;
  contrastBolusAgent: string;
  contrastBolusRoute: string;
  contrastBolusIngredient: string;
  contrastBolusVolume: number | null;
  /** Enhanced objects: ContrastBolusAgentAdministered ("YES"/"NO"), else "". */
  contrastAdministered: string;
}

/** How the stored pixel values are laid out. */
export interface PixelFormat {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
}

export interface DicomHeader {
  file: string;
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  // The identifying modules, as the patient's origin keeps them for export.
  patient: DicomOrigin['patient'];
  study: DicomOrigin['study'];
  series: DicomOrigin['series'];
  instanceNumber: number | null;
  acquisition: AcquisitionText;
  pixel: PixelFormat;
  /** PixelData (7FE0,0010) present; float/double pixel data count as absent (not a scanner image we read). */
  hasPixelData: boolean;
  hasFloatPixelData: boolean;
  numberOfFrames: number;
  /** One entry per frame: a single-frame image has one, an enhanced multi-frame object one per frame. */
  frames: FrameGeometry[];
}

function text(ds: DataSet, tag: string): string {
  return (ds.string(tag) ?? '').trim();
}

function numbers(ds: DataSet, tag: string): number[] | null {
  const value = ds.string(tag);
  if (!value) return null;
  const parts = value.split('\\').map((p) => Number(p.trim()));
  return parts.every((n) => Number.isFinite(n)) ? parts : null;
}

function decimal(ds: DataSet, tag: string): number | null {
  return numbers(ds, tag)?.[0] ?? null;
}

function unsigned(ds: DataSet, tag: string, fallback: number): number {
  return ds.elements[tag] && ds.elements[tag].length >= 2 ? (ds.uint16(tag) ?? fallback) : fallback;
}

/** The geometry and rescale stored at the top level of a classic (one frame per file) image. */
export function classicFrameOf(ds: DataSet): FrameGeometry {
  const position = numbers(ds, 'x00200032');
  const orientation = numbers(ds, 'x00200037');
  const spacing = numbers(ds, 'x00280030');
  return {
    frameNumber: null,
    position: position?.length === 3 ? (position as [number, number, number]) : null,
    orientation: orientation?.length === 6 ? orientation : null,
    pixelSpacing: spacing?.length === 2 ? (spacing as [number, number]) : null,
    sliceThickness: decimal(ds, 'x00180050') ?? decimal(ds, 'x00180088'),
    slope: decimal(ds, 'x00281053') ?? 1,
    intercept: decimal(ds, 'x00281052') ?? 0,
    stackId: null,
    inStackPosition: null,
  };
}

function acquisitionOf(ds: DataSet, inGroups: (sequence: string, read: (item: DataSet) => string | number | null) => string | number | null): AcquisitionText {
  const fromGroups = (sequence: string, read: (item: DataSet) => number | null): number | null => {
    const v = inGroups(sequence, read);
    return typeof v === 'number' ? v : null;
  };
  return {
    seriesDescription: text(ds, 'x0008103e'),
    protocolName: text(ds, 'x00181030'),
    sequenceName: text(ds, 'x00180024') || text(ds, 'x00189005'),
    scanningSequence: text(ds, 'x00180020'),
    sequenceVariant: text(ds, 'x00180021'),
    imageType: text(ds, 'x00080008').split('\\').map((s) => s.trim().toUpperCase()).filter(Boolean),
    inversionTime: decimal(ds, 'x00180082') ?? fromGroups('x00189115', (item) => item.double('x00189079') ?? null),
    repetitionTime: decimal(ds, 'x00180080') ?? fromGroups('x00189112', (item) => decimal(item, 'x00180080')),
    echoTime: decimal(ds, 'x00180081') ?? fromGroups('x00189114', (item) => item.double('x00189082') ?? null),
    contrastBolusAgent: text(ds, 'x00180010'),
    contrastBolusRoute: text(ds, 'x00181040'),
    contrastBolusIngredient: text(ds, 'x00181048'),
    contrastBolusVolume: decimal(ds, 'x00181041'),
    contrastAdministered: String(inGroups('x00189341', (item) => text(item, 'x00189342') || null) ?? '').toUpperCase(),
  };
}

/** Copies what the reader needs out of a parsed header. */
export function headerOf(file: string, ds: DataSet): DicomHeader {
  const numberOfFrames = Math.max(1, Math.round(decimal(ds, 'x00280008') ?? 1));
  const enhanced = enhancedFramesOf(ds, numberOfFrames);
  return {
    file,
    transferSyntaxUid: text(ds, 'x00020010'),
    sopClassUid: text(ds, 'x00080016') || text(ds, 'x00020002'),
    sopInstanceUid: text(ds, 'x00080018') || text(ds, 'x00020003'),
    patient: { id: text(ds, 'x00100020'), name: text(ds, 'x00100010'), birthDate: text(ds, 'x00100030'), sex: text(ds, 'x00100040') },
    study: {
      instanceUid: text(ds, 'x0020000d'), date: text(ds, 'x00080020'), time: text(ds, 'x00080030'), id: text(ds, 'x00200010'),
      accessionNumber: text(ds, 'x00080050'), referringPhysicianName: text(ds, 'x00080090'), description: text(ds, 'x00081030'),
    },
    series: {
      instanceUid: text(ds, 'x0020000e'), number: text(ds, 'x00200011'), description: text(ds, 'x0008103e'),
      modality: text(ds, 'x00080060').toUpperCase(), frameOfReferenceUid: text(ds, 'x00200052'), manufacturer: text(ds, 'x00080070'),
    },
    instanceNumber: decimal(ds, 'x00200013'),
    acquisition: acquisitionOf(ds, enhanced.firstInGroups),
    pixel: {
      rows: unsigned(ds, 'x00280010', 0),
      columns: unsigned(ds, 'x00280011', 0),
      bitsAllocated: unsigned(ds, 'x00280100', 0),
      bitsStored: unsigned(ds, 'x00280101', unsigned(ds, 'x00280100', 0)),
      highBit: unsigned(ds, 'x00280102', unsigned(ds, 'x00280101', unsigned(ds, 'x00280100', 0)) - 1),
      pixelRepresentation: unsigned(ds, 'x00280103', 0),
      samplesPerPixel: unsigned(ds, 'x00280002', 1),
      photometricInterpretation: text(ds, 'x00280004').toUpperCase() || 'MONOCHROME2',
    },
    hasPixelData: ds.elements['x7fe00010'] !== undefined,
    hasFloatPixelData: ds.elements['x7fe00008'] !== undefined || ds.elements['x7fe00009'] !== undefined,
    numberOfFrames,
    frames: enhanced.frames ?? [classicFrameOf(ds)],
  };
}
