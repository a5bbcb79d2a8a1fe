import { memo } from 'react';
import type { SliceListing, SliceReview } from '../../../src/api/contract.js';

interface Props {
  suggestions: readonly SliceReview[];
  slices: readonly SliceListing[];
  onGo(sliceId: number): void;
}

/** The slices most worth correcting, by the model's disagreement with the mask and its uncertainty (N jumps). */
export const SuggestionsPanel = memo(function SuggestionsPanel({ suggestions, slices, onGo }: Props) {
  const numberOf = new Map(slices.map((s) => [s.id, s.number]));
  return (
    <section className="panel suggestions" aria-label="Suggested slices">
      <h2>Fix next (N)</h2>
      {suggestions.length === 0 ? <p className="hint">Predict this patient to get suggestions.</p> : (
        <ol>
          {suggestions.slice(0, 6).map((s) => (
            <li key={s.sliceId}>
              <button onClick={() => onGo(s.sliceId)} data-suggested-slice={numberOf.get(s.sliceId)}>
                slice {numberOf.get(s.sliceId)}: <span title="pixels where the thresholded prediction and the mask differ">{s.disagreement} px disagree</span>, <span title="Σ 4p(1−p) over the slice: 1 per pixel the model is 50/50 on, 0 where it is sure">uncertainty {s.uncertainty} px-equivalent</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});
