import { z } from 'zod';
import type { SliceApproval, SliceRanking } from './review.js';
import { bytes, id } from './system.js';

// Masks: their versions, a save from the editor, a second reader's approval, and the operations that make them.

/** What a radiologist's edit can be: each saved mask version records the one that made it. */
export const EDIT_OPERATIONS = [
  'brush', 'erase', 'threshold-brush', 'prediction-brush', 'fill', 'lasso', 'lasso-erase',
  'fill-holes', 'accept', 'clear', 'copy', 'revert', 'undo', 'redo', 'click', 'propagate',
] as const;
export type EditOperation = (typeof EDIT_OPERATIONS)[number];

/** Everything that can make a mask version: the edits, plus `import` (the dataset's own mask) and `file` (a mask loaded by the CLI). */
export const MASK_OPERATIONS = ['import', 'file', ...EDIT_OPERATIONS] as const;
export type MaskOperation = (typeof MASK_OPERATIONS)[number];

/** Operations whose versions keep the clicks they were made from (click to segment, issue #29). */
export const CLICK_OPERATIONS: readonly EditOperation[] = ['click', 'propagate'];

/** One click of the click tool, in the slice's pixels: positive marks lesion, negative background. */
export const maskClick = z.object({ x: z.number().int().nonnegative(), y: z.number().int().nonnegative(), positive: z.boolean() }).strict();
export type MaskClick = z.infer<typeof maskClick>;

/**
 * A box dragged with the click tool (as MedSAM prompts), in the slice's pixels: the lesion is inside it, and the
 * proposal never reaches outside it. `x`, `y` is its top-left pixel; it covers `width` × `height` pixels.
 */
export const maskBox = z.object({
  x: z.number().int().nonnegative(), y: z.number().int().nonnegative(), width: z.number().int().positive(), height: z.number().int().positive(),
}).strict();
export type MaskBox = z.infer<typeof maskBox>;

/** The most clicks a request carries (a slice's clicks beyond the model's use are kept, not refused; see clicks.ts). */
export const MAX_CLICKS_PER_REQUEST = 2000;

export const MASK_REQUESTS = {
  'masks:get-current': z.object({ sliceId: id }).strict(),
  'masks:list-versions': z.object({ sliceId: id }).strict(),
  'masks:get-version': z.object({ versionId: id }).strict(),
  // A second reader approves the slice's current mask version.
  'masks:approve': z.object({ sliceId: id }).strict(),
  'masks:save': z
    .object({
      sliceId: id, width: z.number().int().positive(), height: z.number().int().positive(), data: bytes,
      // What the radiologist did; 'accept' names the model whose prediction became the mask.
      operation: z.enum(EDIT_OPERATIONS), acceptedModelId: id.optional(),
      // The version this edit started from (null: the slice had none), so a save tells whether someone else saved
      // the slice in between. Without it (the CLI's --from) a save is simply appended.
      baseVersionId: id.nullable().optional(),
      // Click to segment: the clicks the accepted proposal was made from (its provenance).
      clicks: z.array(maskClick).max(MAX_CLICKS_PER_REQUEST).optional(),
      // …and the box it was asked inside, when the reader dragged one.
      box: maskBox.optional(),
    })
    .strict()
    .refine((m) => m.data.length === m.width * m.height, { message: 'data must hold width × height pixels' })
    .refine((m) => (m.operation === 'accept') === (m.acceptedModelId !== undefined), { message: 'acceptedModelId goes with operation "accept", and only with it' })
    .refine((m) => m.clicks === undefined || CLICK_OPERATIONS.includes(m.operation), { message: 'clicks go with operations "click" and "propagate" only' })
    .refine((m) => m.box === undefined || m.operation === 'click', { message: 'a box goes with operation "click" only' }),
} as const;

/** A mask save as the UI sends it. */
export type MaskSaveRequest = z.input<(typeof MASK_REQUESTS)['masks:save']>;

/** One saved version of a slice's mask (its pixels are read with masks:get-version). */
export interface MaskVersion {
  id: number;
  sliceId: number;
  parentId: number | null;
  /** `imported`, `manual` or `model:<id>` (an accepted prediction). */
  source: 'imported' | 'manual' | `model:${string}`;
  createdAt: string;
  pixels: number;
  /** What made this version (see MASK_OPERATIONS); null for versions saved before this was recorded. */
  operation: MaskOperation | null;
  /** Who saved it: the OS user of the process (the radiologist at the workstation); null if not recorded. */
  author: string | null;
  /** The clicks it was made from (operations "click" and "propagate"), else null. */
  clicks: MaskClick[] | null;
  /** The box it was proposed inside (operation "click" from a box drag), else null. */
  box: MaskBox | null;
}

/** What a mask save answers: the version, and what the UI shows next without asking again. */
export interface MaskSaveResult {
  version: MaskVersion;
  /** The patient's count of slices with a radiologist's edit, after this save. */
  patient: { id: number; editedSlices: number };
  /** The patient's ranking after this save (only the saved slice was scored again). */
  ranking: SliceRanking;
  /**
   * Versions other people saved of this slice since the request's `baseVersionId`, oldest first: both theirs and
   * this one are kept (this one on top, as the current mask), and the UI says so. Empty when nobody did.
   */
  concurrent: MaskVersion[];
}

/** A binary mask (one byte per pixel, 0/1) and the version it is, or null for a slice without one. */
export interface MaskPixels {
  versionId: number | null;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface MaskResults {
  'masks:get-current': MaskPixels;
  'masks:list-versions': MaskVersion[];
  'masks:get-version': MaskPixels;
  'masks:approve': SliceApproval;
  'masks:save': MaskSaveResult;
}
