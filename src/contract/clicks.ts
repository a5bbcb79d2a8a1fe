import { z } from 'zod';
import { maskBox, maskClick, MAX_CLICKS_PER_REQUEST, type MaskBox, type MaskClick } from './masks.js';
import { bytes, id } from './system.js';

// Click to segment (issue #29): a slice's proposal from the interactive model after the reader's clicks, and an
// accepted mask carried to the neighbouring slices. What is accepted is saved with masks:save (operation "click"
// or "propagate", with the clicks as its provenance).

export const CLICK_REQUESTS = {
  // Clicks in the slice's pixels, oldest first; none: the automatic model's proposal (and the engine starts).
  // With a box (dragged with the click tool): the proposal inside it, refined by the clicks; nothing outside it.
  'clicks:propose': z.object({ sliceId: id, clicks: z.array(maskClick).max(MAX_CLICKS_PER_REQUEST), box: maskBox.optional() }).strict(),
  // The accepted mask of a slice (0/1, its width × height), carried up and down while the lesion goes on.
  'clicks:propagate': z.object({ sliceId: id, mask: bytes }).strict(),
} as const;

/** A slice's proposal: 0/1 pixels at the slice's resolution. */
export interface ClickProposal {
  sliceId: number;
  width: number;
  height: number;
  mask: Uint8Array;
  /** The automatic model whose prediction is the 0-click proposal. */
  modelId: number;
  /** The interactive model that refined it (null: no clicks, or there is no interactive model). */
  interactiveModelId: number | null;
  /** How many of the clicks the proposal was computed from (the newest ones, when there are more than it uses). */
  clicksUsed: number;
  /** "ready", or "loading": the click engine was still loading its model when this answer was made. */
  engine: 'ready' | 'loading';
  /** The box the proposal was asked inside (it holds every pixel of the mask), or null. */
  box: MaskBox | null;
  /** The positive click the box was turned into (its most lesion-like interior point; docs/training.md), or null. */
  seed: MaskClick | null;
  /** What the reader should know about this answer (clicks left out, no interactive model), else null. */
  notice: string | null;
}

/** A slice's mask from propagation. */
export interface PropagatedMask {
  sliceId: number;
  width: number;
  height: number;
  mask: Uint8Array;
}

export interface ClickResults {
  'clicks:propose': ClickProposal;
  /** The neighbouring slices' masks, in slice order (empty when the lesion ends at the accepted slice). */
  'clicks:propagate': PropagatedMask[];
}
