import type { MaskClick } from '../contract/masks.js';
import { replaceMask } from './region.js';
import type { SaveQueue } from './save-queue.js';
import type { WorkingMasks } from './working-masks.js';

/** One slice's mask from propagation, with what the store holds for it (for a slice this page has not shown). */
export interface PropagatedSliceMask {
  sliceId: number;
  data: Uint8Array;
  width: number;
  height: number;
  stored: { mask: Uint8Array; versionId: number | null };
}

/**
 * Sets several slices' masks as one operation (propagation, issue #29): each changed slice gets an undo step and
 * a saved version made by `operation`. Returns the slices it changed (what {@link undoSlices} takes back).
 */
export function setSlices(
  masks: WorkingMasks,
  queue: SaveQueue,
  operation: 'propagate',
  slices: readonly PropagatedSliceMask[],
  clicks?: MaskClick[],
): number[] {
  const changed: number[] = [];
  for (const { sliceId, data, width, height, stored } of slices) {
    const mask = masks.take({ sliceId, width, height, mask: stored.mask, versionId: stored.versionId });
    const before = mask.slice();
    if (replaceMask(mask, data) === 0) continue;
    masks.history(sliceId).record(before);
    queue.enqueue({ sliceId, width, height, data: mask, operation, ...(clicks && { clicks }) });
    changed.push(sliceId);
  }
  return changed;
}

/** Undoes the last step of each of these slices (what one {@link setSlices} did), saving each as an undo. */
export function undoSlices(masks: WorkingMasks, queue: SaveQueue, sliceIds: readonly number[]): void {
  for (const sliceId of sliceIds) {
    const mask = masks.mask(sliceId);
    const previous = mask && masks.history(sliceId).undo(mask);
    if (!mask || !previous) continue;
    mask.set(previous);
    const size = masks.size(sliceId);
    if (size) queue.enqueue({ sliceId, ...size, data: mask, operation: 'undo' });
  }
}
