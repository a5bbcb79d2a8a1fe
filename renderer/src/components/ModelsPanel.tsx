import { memo } from 'react';
import type { ModelSummary, ModelValidationScore, RendererApi, ValidationScores } from '../../../src/contract/index.js';
import { formatDice, formatWhen } from '../logic/format.js';
import { useValidationScores } from '../state/use-validation-scores.js';
import { ComputeDeviceLine } from './ComputeDeviceLine.js';
import { PatientBeforeAfter } from './PatientBeforeAfter.js';

/** Fewer validation patients than this and a difference between two models' scores may well be chance. */
export const FEW_VALIDATION_PATIENTS = 3;

interface Props {
  api: RendererApi;
  models: readonly ModelSummary[];
  onActivate(modelId: number): void;
  /** The open patient, and the models before and after the last retrain or activation (its Dice under both). */
  patientId: number | null;
  compare: { from: number; to: number | null } | null;
  refresh: unknown;
}

const OWN_FIGURE_HELP = "The model's own figure, on its own validation patients: a bundled model's card (patients elsewhere), " +
  "a model trained here at its training's end. Different patients for different models: compare the column before it.";

/** The validation patients every model is scored on, and a warning when they are too few to tell models apart. */
function ValidationNote({ scores }: { scores: ValidationScores | null }) {
  if (!scores) return null;
  const n = scores.patients.length;
  return (
    <>
      <p className="hint" data-testid="validation-patients" data-count={n} title={scores.patients.join(', ')}>
        “Dice here”: every model on the same {n} validation patient{n === 1 ? '' : 's'} of this folder, against their current masks.
      </p>
      {n < FEW_VALIDATION_PATIENTS && (
        <p className="warning" role="note" data-testid="validation-warning">
          Only {n} validation patient{n === 1 ? '' : 's'}: differences between models of a few points may be chance.
        </p>
      )}
    </>
  );
}

function ScoreCell({ score }: { score: ModelValidationScore | undefined }) {
  const text = !score || score.state === 'scoring' ? 'scoring…' : score.state === 'failed' ? 'failed' : formatDice(score.dice);
  return <td data-testid="validation-dice" data-state={score?.state ?? 'scoring'} data-dice={score?.dice ?? ''} title={score?.message}>{text}</td>;
}

/** Every model version scored on this folder's validation patients, beside its own figure; activating an older one rolls back. */
export const ModelsPanel = memo(function ModelsPanel({ api, models, onActivate, patientId, compare, refresh }: Props) {
  const scores = useValidationScores(api, models, refresh);
  const byModel = new Map(scores?.models.map((s) => [s.modelId, s]));
  return (
    <section className="panel models" aria-label="Models">
      <h2>Models</h2>
      <ComputeDeviceLine api={api} role="prediction" />
      {models.length === 0 ? <p className="hint">No model yet: train one.</p> : (
        <>
          <ValidationNote scores={scores} />
          <table>
            <thead><tr><th>Model</th><th title="Mean per-volume Dice on this folder's validation patients">Dice here</th><th title={OWN_FIGURE_HELP}>Own figure</th><th /></tr></thead>
            <tbody>
              {models.flatMap((m) => [
                <tr key={m.id} className={m.active ? 'active' : m.status} data-model-id={m.id}>
                  <td className="model-id" title={`Model ${m.id}, made ${formatWhen(m.createdAt)}${m.parentId ? `, from model ${m.parentId}` : ''}` +
                    (m.origin === 'bundled' ? '. Shipped with BrainSeg: trained on the public LGG dataset (research use, not for diagnosis)' : '')}>
                    {m.id}{m.parentId ? ` ← ${m.parentId}` : ''} <small>{m.origin === 'bundled' ? `${m.preset} · bundled` : m.preset}</small>
                  </td>
                  <ScoreCell score={byModel.get(m.id)} />
                  <td className="own-figure" title={OWN_FIGURE_HELP}>{formatDice(m.valDice)} <small>{m.ownFigurePatients ? `(card, ${m.ownFigurePatients} pts)` : m.valDice === null ? '' : '(at training)'}</small></td>
                  <td>{m.active ? 'active' : <button onClick={() => onActivate(m.id)}>Activate</button>}{m.status === 'rejected' ? ' (rejected)' : ''}</td>
                </tr>,
                // The recipe on a row of its own under the model, its optimiser and its augmentation a line each: beside
                // the scores it was wider than the panel.
                <tr key={`${m.id}-recipe`} className="recipe-row"><td colSpan={4} className="recipe" data-testid="model-recipe">
                  {m.recipe.split(', ').map((part) => <span key={part}>{part}</span>)}</td></tr>,
              ])}
            </tbody>
          </table>
          <PatientBeforeAfter api={api} patientId={patientId} compare={compare} refresh={refresh} />
        </>
      )}
    </section>
  );
});
