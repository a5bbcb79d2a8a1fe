import { z } from 'zod';
import type { SliceApproval } from './review.js';
import { id } from './system.js';

// The catalog as the UI browses it: patients, their spacing and scan details, slices and their pixels.

export const CATALOG_REQUESTS = {
  'catalog:list-patients': z.object({}).strict(),
  'catalog:set-spacing': z.object({ patientId: id, pixelMm: z.number().gt(0).lt(100), sliceMm: z.number().gt(0).lt(100) }).strict(),
  'catalog:list-slices': z.object({ patientId: id }).strict(),
  'slices:get-image': z.object({ sliceId: id }).strict(),
  'slices:get-thumbnails': z.object({ patientId: id, size: z.number().int().min(16).max(256) }).strict(),
} as const;

/** Which side of the patient-level split a patient's slices train or validate on. */
export type Split = 'train' | 'validation';

/** In-plane pixel size and slice spacing (mm), as the radiologist entered them. */
export interface PatientSpacing {
  pixelMm: number;
  sliceMm: number;
}

/** A patient in the patient list, with its counts. */
export interface PatientSummary {
  id: number;
  caseId: string;
  split: Split;
  slices: number;
  lesionSlices: number;
  editedSlices: number;
  /** Slices whose current mask a second reader approved. */
  approvedSlices: number;
  /** From the header for NIfTI and DICOM; null for LGG TIFFs until the radiologist enters it (they carry none). */
  spacing: PatientSpacing | null;
  /** Where the patient came from, its orientation and intensity units; null for the LGG TIFF layout. */
  scan: PatientScanInfo | null;
}

/** A volume-imported patient as the viewer needs it: which way is which, and the channels' source units. */
export interface PatientScanInfo {
  format: 'nifti' | 'dicom';
  /** The patient direction each edge of the slice faces (radiological view: R on the image's left). */
  edges: { left: string; right: string; top: string; bottom: string };
  /** Per image channel (pre-contrast, FLAIR, post-contrast): the source values its 8-bit 0 and 255 stand for, and
   * which sequence it holds (FLAIR where the patient has no such sequence). */
  channels: Array<{ channel: 't1' | 'flair' | 't1c'; from: 't1' | 'flair' | 't1c'; low: number; high: number }>;
  /** What the import said about this patient (a sequence filled with FLAIR, a gap between slices). */
  warnings: string[];
}

/** A slice's pixels for display: 8-bit, `channels` interleaved, row-major. */
export interface SliceImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** A slice in the slice strip: its catalog record (without file paths) and whether a radiologist edited its mask. */
export interface SliceListing {
  id: number;
  patientId: number;
  number: number;
  width: number;
  height: number;
  channels: number;
  hasLesion: boolean;
  edited: boolean;
  /** Foreground pixels of the current mask: the lesion's area on this slice. */
  lesionPixels: number;
  /** A second reader's approval of the current mask version, or null (none, or the mask changed since). */
  approval: SliceApproval | null;
}

/** A slice's grey FLAIR preview. */
export interface SliceThumbnail {
  sliceId: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface CatalogResults {
  'catalog:list-patients': PatientSummary[];
  'catalog:set-spacing': PatientSummary[];
  'catalog:list-slices': SliceListing[];
  'slices:get-image': SliceImage;
  'slices:get-thumbnails': SliceThumbnail[];
}
