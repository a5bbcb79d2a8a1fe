import type { RendererApi } from '../../../src/contract/index.js';
import { formatDice } from '../logic/format.js';
import { useSliceScores } from '../state/use-slice-scores.js';

interface Props {
  api: RendererApi;
  patientId: number | null;
  /** The model before (the retrain's parent, or the one active before an activation) and the one now. */
  compare: { from: number; to: number | null } | null;
  /** Changes when the open patient's predictions or masks may have (a new value reads the figures again). */
  refresh: unknown;
}

/**
 * After a retrain: the open patient's per-volume Dice under the parent and under the new model, against the masks
 * as they are now — one patient, so it says what changed here, not which model is better overall.
 */
export function PatientBeforeAfter({ api, patientId, compare, refresh }: Props) {
  const shown = compare !== null && compare.to !== null && compare.to !== compare.from && patientId !== null;
  const before = useSliceScores(api, patientId, shown, refresh, compare?.from);
  const after = useSliceScores(api, patientId, shown, refresh, compare?.to ?? undefined);
  if (!shown) return null;
  const was = before.scores?.volumeDice ?? null;
  const now = after.scores?.volumeDice ?? null;
  return (
    <p className="hint patient-before-after" data-testid="patient-before-after" data-before={was ?? ''} data-after={now ?? ''}
      title="Per-volume Dice of each model's prediction of the open patient against its current masks (threshold 0.5)">
      This patient: Dice {formatDice(was)} with model {compare.from} → {formatDice(now)} with model {compare.to}
      {was === null || now === null ? ' (predicting…)' : ''}
    </p>
  );
}
