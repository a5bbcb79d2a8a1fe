import { useMemo } from 'react';
import type { SliceListing } from '../../../src/contract/index.js';
import { nextToReview, reviewQueue, type QueueItem } from '../logic/review-queue.js';
import type { Suggestions } from './use-suggestions.js';

/** The "fix next" queue of the open patient, and `N`: the next slice in it not yet reviewed. */
export function useReviewQueue(suggestions: Suggestions, slices: readonly SliceListing[], shown: SliceListing | undefined,
  goToSlice: (sliceId: number) => void, setStatus: (text: string) => void): { queue: QueueItem[]; next(): void } {
  const { suggestions: ranking, reviewed } = suggestions;
  const queue = useMemo(() => reviewQueue(ranking, slices, reviewed), [ranking, slices, reviewed]);
  const next = () => {
    if (ranking.length === 0) return setStatus('No suggestions: predict this patient first.');
    const sliceId = nextToReview(queue, shown?.id);
    if (sliceId === null) return setStatus('Every suggested slice of this patient has been reviewed (edited or approved) since its last prediction.');
    goToSlice(sliceId);
  };
  return { queue, next };
}
