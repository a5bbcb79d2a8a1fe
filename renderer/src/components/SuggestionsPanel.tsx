import { memo, useState } from 'react';
import type { RendererApi } from '../../../src/contract/index.js';
import { formatSliceScore } from '../logic/format.js';
import type { QueueItem } from '../logic/review-queue.js';
import { unsureText } from '../logic/review-queue.js';
import { shortcut } from '../logic/shortcuts.js';
import { useSliceScores } from '../state/use-slice-scores.js';

interface Props {
  api: RendererApi;
  patientId: number | null;
  /** The queue, most worth first; `done` slices have been edited or approved since their last prediction. */
  queue: readonly QueueItem[];
  /** Whether the patient has a ranking at all (it needs a prediction). */
  ranked: boolean;
  onGo(sliceId: number): void;
}

/** The slices most worth correcting not yet reviewed, by the model's disagreement with the mask and its uncertainty. */
export const SuggestionsPanel = memo(function SuggestionsPanel({ api, patientId, queue, ranked, onGo }: Props) {
  const [showScores, setShowScores] = useState(false);
  // The queue changes after every save and prediction: the figures are read again then.
  const { bySlice, scores } = useSliceScores(api, patientId, showScores && ranked, queue);
  const left = queue.filter((q) => !q.done);
  const done = queue.length - left.length;
  return (
    <section className="panel suggestions" aria-label="Suggested slices">
      <h2>Fix next ({shortcut('slice:next-suggestion')})</h2>
      {!ranked ? <p className="hint">Predict this patient to get suggestions.</p> : (
        <>
          <p className="hint" data-testid="review-left">
            {left.length === 0 ? `All ${queue.length} suggested slices reviewed.` : `${left.length} of ${queue.length} suggested slices left to review`}
            {done > 0 && left.length > 0 ? ` (${done} done)` : ''}
          </p>
          <label className="hint" title="Each slice's Dice (threshold 0.5) and mean binary cross-entropy of the prediction against its current mask">
            <input type="checkbox" checked={showScores} onChange={(e) => setShowScores(e.target.checked)} data-testid="suggestion-scores" /> Dice / BCE
          </label>
          <ol>
            {left.slice(0, 6).map((s) => (
              <li key={s.sliceId}>
                <button onClick={() => onGo(s.sliceId)} data-suggested-slice={s.number}
                  title="Edit or approve (R) a slice to mark it reviewed; it comes back after the next prediction">
                  slice {s.number}: prediction and mask differ on {s.disagreement} px; {unsureText(s.uncertainty)}
                  {showScores && <span className="lightbox-score" data-testid="slice-score"> ({formatSliceScore(bySlice.get(s.sliceId), scores !== null)})</span>}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
});
