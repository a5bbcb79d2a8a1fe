import { useCallback, useRef, useState } from 'react';
import type { RendererApi, SliceRanking, SliceReview } from '../../../src/api/contract.js';

/** The open patient's "fix next" ranking. */
export interface Suggestions {
  suggestions: SliceReview[];
  /** Asks the server for the patient's ranking (after opening it or predicting it). */
  refresh(patientId: number): Promise<void>;
  /** Takes a ranking the server sent with another answer (a mask save). */
  take(patientId: number, ranking: SliceRanking): void;
  clear(): void;
}

export function useSuggestions(api: RendererApi, currentPatient: () => number | null): Suggestions {
  const [suggestions, setSuggestions] = useState<SliceReview[]>([]);
  const current = useRef(currentPatient);
  current.current = currentPatient;
  const take = useCallback((patientId: number, ranking: SliceRanking) => {
    if (current.current() === patientId) setSuggestions(ranking.slices);
  }, []);
  const refresh = useCallback(async (patientId: number) => {
    const ranking = await api.request('review:rank-slices', { patientId }).catch(() => null);
    if (ranking) take(patientId, ranking);
  }, [api, take]);
  const clear = useCallback(() => setSuggestions([]), []);
  return { suggestions, refresh, take, clear };
}
