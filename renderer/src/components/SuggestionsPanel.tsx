import { memo } from 'react';
import type { QueueItem } from '../logic/review-queue.js';
import { unsureText } from '../logic/review-queue.js';
import { shortcut } from '../logic/shortcuts.js';

interface Props {
  /** The queue, most worth first; `done` slices have been edited or approved since their last prediction. */
  queue: readonly QueueItem[];
  /** Whether the patient has a ranking at all (it needs a prediction). */
  ranked: boolean;
  onGo(sliceId: number): void;
}

/** The slices most worth correcting not yet reviewed, by the model's disagreement with the mask and its uncertainty. */
export const SuggestionsPanel = memo(function SuggestionsPanel({ queue, ranked, onGo }: Props) {
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
          <ol>
            {left.slice(0, 6).map((s) => (
              <li key={s.sliceId}>
                <button onClick={() => onGo(s.sliceId)} data-suggested-slice={s.number}
                  title="Edit or approve (R) a slice to mark it reviewed; it comes back after the next prediction">
                  slice {s.number}: prediction and mask differ on {s.disagreement} px; {unsureText(s.uncertainty)}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
});
