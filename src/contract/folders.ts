import { z } from 'zod';

// Folders: importing a dataset or scanner files (and the scan that shows what an import would do), exporting masks.

/** What masks can be exported as. */
export const EXPORT_FORMATS = ['dataset', 'nifti', 'dicom-seg'] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

/** The MR sequences the workstation tells apart; the model reads T1 pre-contrast, FLAIR and T1 post-contrast. */
export const SEQUENCE_KINDS = ['flair', 't1', 't1c', 't2', 'other'] as const;
/** What an imported file or series is used as: a sequence, the lesion labels, or nothing. */
export const SERIES_ROLES = [...SEQUENCE_KINDS, 'label', 'skip'] as const;
export type SeriesRole = (typeof SERIES_ROLES)[number];

// The user's word on a scanner-format import: which file or series is which (it beats the naming rules), and
// which label values are lesion.
const importChoices = {
  sequences: z.array(z.object({ role: z.enum(SERIES_ROLES), key: z.string().min(1).max(4096) }).strict()).max(1000).optional(),
  labels: z.array(z.number().int()).min(1).max(256).optional(),
};

export const FOLDER_REQUESTS = {
  'import:path': z.object({ path: z.string().min(1), ...importChoices }).strict(),
  // What a folder holds and how each series would be used, without importing (the import dialog's table).
  'import:scan': z.object({ path: z.string().min(1), ...importChoices }).strict(),
  'export:masks': z.object({
    path: z.string().min(1), caseId: z.string().min(1).optional(), overwriteOriginals: z.boolean().optional(),
    // dataset: the LGG layout (TIFF slices and masks); nifti / dicom-seg: one label volume per patient.
    format: z.enum(EXPORT_FORMATS).optional(), predictions: z.boolean().optional(),
  }).strict(),
} as const;

/** A file an import or export passed over, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImportReport {
  patients: number;
  slices: number;
  masks: number;
  lesionSlices: number;
  skipped: SkippedFile[];
  /** Slices already in the catalog with identical content. */
  unchanged: number;
  /** Files whose content differs from the catalogued slice of the same number; the catalogued one is kept. */
  changed: SkippedFile[];
  seconds: number;
  /** Every patient the path held, new or already catalogued, in import order (the UI opens the first). */
  caseIds: string[];
  /** NIfTI files and DICOM series found, each with what it was used as and why. */
  series: ImportedSeries[];
  /** What the user should know about an imported patient (a sequence filled with FLAIR, a gap between slices). */
  warnings: Array<{ caseId: string; message: string }>;
}

/** What a folder holds, before importing: the patients and every series with the role it would get. */
export interface ImportScan {
  patients: Array<{ caseId: string; format: 'lgg-tiff' | 'nifti' | 'dicom'; slices: number | null }>;
  series: ImportedSeries[];
  skipped: SkippedFile[];
}

/** A NIfTI file or DICOM series an import found: the role it got (a sequence, the labels, or skipped) and why. */
export interface ImportedSeries {
  caseId: string;
  format: 'nifti' | 'dicom';
  /** What an override names it by: the file's path, or the DICOM SeriesInstanceUID. */
  key: string;
  label: string;
  role: string;
  reason: string;
}

export interface ImportProgress {
  done: number;
  total: number;
  patient: string;
}

export interface ExportReport {
  patients: number;
  slices: number;
  masks: number;
  skipped: SkippedFile[];
  folder: string;
  /** The label files written (NIfTI, DICOM-SEG); empty for the dataset layout, which writes a folder per patient. */
  files: string[];
}

export interface FolderResults {
  'import:path': ImportReport;
  'import:scan': ImportScan;
  'export:masks': ExportReport;
}

export interface FolderEvents {
  'import:progress': ImportProgress;
}
