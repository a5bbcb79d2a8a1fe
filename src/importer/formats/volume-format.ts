// The seam every scanner format plugs into. A format finds patients under a folder and classifies their volumes
// without reading pixels (so the report and the import dialog can show what was found); `load` reads them.
// The importer then lays the FLAIR out axially, resamples the other sequences onto it and writes the slices the
// rest of the workstation reads, the same for every format. Adding a format: a folder here and a line in
// ./registry.ts.
import { SEQUENCE_KINDS, type SeriesRole, type SkippedFile } from '../../contract/index.js';
import type { DicomOrigin, NiftiOrigin, VolumeOrigin } from '../../imaging/volume/origin.js';
import type { Volume } from '../../imaging/volume/volume.js';

export type { DicomOrigin, NiftiOrigin, SkippedFile, Volume, VolumeOrigin };

/** The MR sequences the workstation tells apart (the contract's list). */
export { SEQUENCE_KINDS, type SeriesRole };
export type SequenceKind = (typeof SEQUENCE_KINDS)[number];

/** The user's word on one series or file (`--sequence flair=FILE`, the import dialog): it beats every rule. */
export interface SequenceOverride {
  role: SeriesRole;
  /** A file path or name (NIfTI), or a SeriesInstanceUID or SeriesNumber (DICOM). */
  key: string;
}

export interface ScanOptions {
  overrides: readonly SequenceOverride[];
}

/** A series or file as found, before its pixels are read. */
export interface FoundSeries {
  /** Stable id for overrides: the file's path (NIfTI) or the SeriesInstanceUID (DICOM). */
  key: string;
  /** What the user recognises: the file name, or "SeriesNumber SeriesDescription (n images)". */
  label: string;
  role: SeriesRole;
  /** Why it got that role: `file name ends _flair`, `SeriesDescription "AX T2 FLAIR"`, `set by the user`, … */
  reason: string;
}

export interface LoadedVolume {
  volume: Volume;
  origin: VolumeOrigin;
  /** The FoundSeries label, for messages. */
  label: string;
}

/** A patient's volumes as read: one per sequence the patient has, and its labels if any. */
export interface LoadedPatient {
  sequences: Partial<Record<Exclude<SequenceKind, 'other'>, LoadedVolume>>;
  /** A label volume in its stored values (not yet reduced to lesion / not lesion). */
  label: LoadedVolume | null;
  /** Things the user should know that do not stop the import (a gap between slices, a second FLAIR left out). */
  warnings: string[];
}

/** A patient a format found under the import path. */
export interface FoundPatient {
  format: VolumeFormat['name'];
  /** The catalog's case id: the folder name (NIfTI), PatientID and StudyDate (DICOM). */
  caseId: string;
  /** The folder shown as the patient's source. */
  folder: string;
  series: FoundSeries[];
  /** Reads the pixels of the series in use; throws VolumeError (or SliceReadError) with a reason on bad input. */
  load(): Promise<LoadedPatient>;
}

export interface VolumeFormat {
  readonly name: 'nifti' | 'dicom';
  /**
   * Finds this format's patients under `root` (a patient folder, a dataset folder of patient folders, or any tree
   * of files for DICOM). Files of this format that cannot be used go to `skipped` with a reason; files of other
   * formats are left alone.
   */
  scan(root: string, options: ScanOptions, skipped: SkippedFile[]): Promise<FoundPatient[]>;
}
