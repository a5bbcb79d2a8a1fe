import { useCallback, useRef, useState } from 'react';
import type { RendererApi, SliceRanking, SliceReview } from '../../../src/contract/index.js';
import { isNumberArray, readStored, writeStored } from '../logic/session-store.js';

/** The open patient's "fix next" ranking, and the slices reviewed (edited or approved) since its last prediction. */
export interface Suggestions {
  suggestions: SliceReview[];
  /** Slice ids edited or approved here since the patient's last prediction. */
  reviewed: ReadonlySet<number>;
  /** Asks the server for the patient's ranking (after opening it). */
  refresh(patientId: number): Promise<void>;
  /** The patient was predicted again: every slice needs a look again, and the ranking is read again. */
  predicted(patientId: number): Promise<void>;
  /** Takes a ranking the server sent with another answer (a mask save). */
  take(patientId: number, ranking: SliceRanking): void;
  markReviewed(sliceId: number): void;
  /** Another patient is opened: its own reviewed slices (kept across a reload) come back. */
  clear(patientId: number): void;
}

const storeKey = (patientId: number) => `reviewed.${patientId}`;

export function useSuggestions(api: RendererApi, currentPatient: () => number | null): Suggestions {
  const [suggestions, setSuggestions] = useState<SliceReview[]>([]);
  const [reviewed, setReviewed] = useState<ReadonlySet<number>>(new Set());
  const current = useRef(currentPatient);
  current.current = currentPatient;
  const take = useCallback((patientId: number, ranking: SliceRanking) => {
    if (current.current() === patientId) setSuggestions(ranking.slices);
  }, []);
  const refresh = useCallback(async (patientId: number) => {
    const ranking = await api.request('review:rank-slices', { patientId }).catch(() => null);
    if (ranking) take(patientId, ranking);
  }, [api, take]);
  const store = useCallback((patientId: number | null, ids: ReadonlySet<number>) => {
    if (patientId !== null) writeStored(storeKey(patientId), [...ids]);
    setReviewed(ids);
  }, []);
  const predicted = useCallback((patientId: number) => {
    if (current.current() === patientId) store(patientId, new Set());
    return refresh(patientId);
  }, [refresh, store]);
  const markReviewed = useCallback((sliceId: number) => setReviewed((ids) => {
    const next = new Set(ids).add(sliceId);
    const patientId = current.current();
    if (patientId !== null) writeStored(storeKey(patientId), [...next]);
    return next;
  }), []);
  const clear = useCallback((patientId: number) => {
    setSuggestions([]);
    setReviewed(new Set(readStored(storeKey(patientId), [], isNumberArray)));
  }, []);
  return { suggestions, reviewed, refresh, predicted, take, markReviewed, clear };
}
