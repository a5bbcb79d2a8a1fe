import type { SliceListing, SliceReview } from '../../../src/contract/index.js';

/** One slice of the "fix next" queue: its ranking, its number, and whether it has been reviewed since it was predicted. */
export interface QueueItem extends SliceReview {
  number: number;
  done: boolean;
}

/**
 * The patient's slices worth a look, most worth first: those where the prediction and the mask disagree or the model
 * is unsure. A slice edited or approved since its last prediction is done (`reviewed`: the ids edited or approved
 * here since; an approval holds for the current mask, so it counts too).
 */
export function reviewQueue(ranking: readonly SliceReview[], slices: readonly SliceListing[], reviewed: ReadonlySet<number>): QueueItem[] {
  const byId = new Map(slices.map((s) => [s.id, s]));
  return ranking.filter((r) => r.score > 0 && byId.has(r.sliceId)).map((r) => {
    const slice = byId.get(r.sliceId)!;
    return { ...r, number: slice.number, done: reviewed.has(r.sliceId) || slice.approval !== null };
  });
}

/** The next slice to review after the shown one (in ranking order, wrapping), never the shown one itself; null when none is left. */
export function nextToReview(queue: readonly QueueItem[], shownSliceId: number | undefined): number | null {
  const at = queue.findIndex((q) => q.sliceId === shownSliceId);
  for (let k = 1; k <= queue.length; k++) {
    const item = queue[(at + k) % queue.length]!;
    if (!item.done && item.sliceId !== shownSliceId) return item.sliceId;
  }
  return null;
}

/** The uncertainty (Σ 4p(1−p), 1 per pixel at p = 0.5) in plain words: about how many pixels the model is unsure of. */
export function unsureText(uncertainty: number): string {
  return uncertainty < 1 ? 'model sure everywhere' : `model unsure on about ${Math.round(uncertainty)} px`;
}
