import type { MaskOperation } from '../editing/operations.js';

export { MASK_OPERATIONS, type MaskOperation } from '../editing/operations.js';
/** Which side of the patient-level split a patient's slices train or validate on. */
export type Split = 'train' | 'validation';

/** Where a mask version came from: the dataset, a radiologist's edit, or a model's prediction. */
export type MaskSource = 'imported' | 'manual' | `model:${string}`;

/** A patient in the catalog. */
export interface Patient {
  id: number;
  caseId: string;
  institution: string;
  sourceFolder: string;
  clinical: Record<string, string> | null;
  split: Split;
  createdAt: string;
}

/** One MRI slice; the image stays where it was imported from and is identified by its content hash. */
export interface Slice {
  id: number;
  patientId: number;
  number: number;
  imagePath: string;
  contentHash: string;
  width: number;
  height: number;
  channels: number;
  hasLesion: boolean;
}

/** One saved version of a slice's mask (metadata only; the bitmap is read on demand). */
export interface MaskVersion {
  id: number;
  sliceId: number;
  parentId: number | null;
  source: MaskSource;
  createdAt: string;
  pixels: number;
  /** What made this version (see MASK_OPERATIONS); null for versions saved before this was recorded. */
  operation: MaskOperation | null;
  /** Who saved it: the OS user of the process (the radiologist at the workstation); null if not recorded. */
  author: string | null;
}


export type { BinaryMask } from '../imaging/binary-mask.js';
