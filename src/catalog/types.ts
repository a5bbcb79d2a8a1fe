import type { MaskVersion, Split } from '../contract/index.js';

// The catalog's records. Those that also cross to the UI (a mask version, the split) are the contract's own types.

export { MASK_OPERATIONS, type MaskOperation } from '../contract/masks.js';
export type { BinaryMask } from '../imaging/binary-mask.js';
export type { MaskVersion, Split };

/** Where a mask version came from: the dataset, a radiologist's edit, or a model's prediction. */
export type MaskSource = MaskVersion['source'];

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
