import { memo, useState } from 'react';
import {
  FROM_SCRATCH_DEFAULTS, PRESET_LABELS, PRESET_NAMES, RETRAIN_BUDGET_MINUTES, runPosition,
  type AugmentationSettings, type ModelSummary, type PresetName, type RendererApi, type ResumableRun,
} from '../../../src/contract/index.js';
import { formatDice, formatDuration, formatWhen } from '../logic/format.js';
import type { TrainingHistory } from '../logic/training-history.js';
import { withShortcut } from '../logic/shortcuts.js';
import { ComputeDeviceLine } from './ComputeDeviceLine.js';
import { TrainingChart } from './TrainingChart.js';
import { AugmentationPreviewDialog } from './AugmentationPreviewDialog.js';
import { AugmentationFields, DEFAULT_RECIPE, OptimizerFields, type Recipe } from './RecipeFields.js';

/**
 * What a start asks for: a retrain (fine-tune of the active model within a time budget, with its own optimiser)
 * or a run from scratch; both with the augmentation settings (absent from the menu: the core's defaults).
 */
export type TrainingRequest =
  | { fromScratch: false; minutes: number; augmentation?: AugmentationSettings }
  | { fromScratch: true; preset: PresetName; epochs: number } & Partial<Recipe>;

interface Props {
  api: RendererApi;
  /** The slice on screen: what the augmentation preview draws (null: no patient open). */
  sliceId: number | null;
  running: boolean;
  /** The active model a retrain starts from (null: none yet, so only training from scratch is possible). */
  activeModelId: number | null;
  /** Slices whose mask was edited since the active model: what a retrain learns from. */
  editedSlices: number;
  history: TrainingHistory;
  message: string;
  /** A run that stopped before it finished and can continue from its last epoch. */
  resumable: ResumableRun | null;
  /** The newest model, when the gate did not activate it (logic/models.ts): offered to use anyway. */
  rejected: ModelSummary | null;
  onStart(request: TrainingRequest): void;
  onActivate(modelId: number): void;
  onResume(): void;
  onDiscard(): void;
  onCancel(): void;
}

/** What a stopped run was, in words: "a fast model from scratch" or "a retrain of model 3". */
function describeRun(run: ResumableRun): string {
  return run.parentModelId === null ? `a ${run.preset} model from scratch` : `a retrain of model ${run.parentModelId}`;
}

/** The offer to continue a run that stopped part-way, or to give it up. */
function ResumeOffer({ run, onResume, onDiscard }: { run: ResumableRun; onResume(): void; onDiscard(): void }) {
  const discard = () => {
    if (window.confirm(`Discard the stopped run? Its ${run.epochsDone} finished epoch${run.epochsDone === 1 ? '' : 's'} will be lost; the active model is not affected.`)) onDiscard();
  };
  return (
    <div className="resume-offer" data-testid="resume-offer">
      <p>Stopped before it finished: {describeRun(run)}, started {formatWhen(run.startedAt)}, {run.epochsDone} of {run.epochs} epochs done.</p>
      <div className="row">
        <button onClick={onResume} title="Continue from the last finished epoch, with the run's own settings and time budget">Resume</button>
        <button onClick={discard}>Discard</button>
      </div>
    </div>
  );
}

/**
 * The retrain that scored below its parent on validation and so did not become active. The gate guards against a
 * retrain that got worse by chance, but the radiologist may know better (the validation patients' masks are not
 * the ones they corrected): one click uses it, and rolling back stays one click in Models.
 */
function RejectedOffer({ model, onActivate }: { model: ModelSummary; onActivate(modelId: number): void }) {
  const parent = model.parentId === null ? 'its parent' : `its parent, model ${model.parentId},`;
  return (
    <div className="rejected-offer" data-testid="rejected-offer">
      <p>Model {model.id} (validation Dice {formatDice(model.valDice)}) scored below {parent} on the same masks, so it is not active.</p>
      <button onClick={() => onActivate(model.id)} title="Make it the active model and predict with it; Models lists every version to roll back to">
        Activate model {model.id} anyway
      </button>
    </div>
  );
}

/** Retrain on edits or train from scratch, follow the run (progress, speed, ETA, loss and Dice chart), cancel it. */
export const TrainingPanel = memo(function TrainingPanel(props: Props) {
  const { api, sliceId, running, activeModelId, editedSlices, history, message, resumable, rejected, onStart, onActivate, onResume, onDiscard, onCancel } = props;
  const [preset, setPreset] = useState<PresetName>(FROM_SCRATCH_DEFAULTS.preset);
  const [recipe, setRecipe] = useState<Recipe>(DEFAULT_RECIPE);
  const [previewing, setPreviewing] = useState(false);
  const [epochs, setEpochs] = useState(FROM_SCRATCH_DEFAULTS.epochs);
  const [budget, setBudget] = useState(RETRAIN_BUDGET_MINUTES);
  const p = history.last;
  // The bar and the words come from the last event alone: steps against the planned steps, or the run's clock
  // against its budget, whichever ends it (runPosition).
  const position = p && runPosition(p);
  const fraction = position?.fraction ?? 0;
  const status = !running && !position ? 'No run yet.'
    : !position ? 'Starting… (loading the trainer and the slices)'
      : `${position.text} · ${p.slicesPerSecond?.toFixed(1) ?? '—'} slices/s · ETA ${formatDuration(p.etaSeconds)}`;
  const trainFromScratch = () => {
    if (window.confirm(`Train a new ${preset} model from scratch for ${epochs} epochs? This takes a long time on a CPU; the active model stays active until the new one is better.`)) {
      onStart({ fromScratch: true, preset, epochs, ...recipe });
    }
  };
  return (
    <section className="panel training" aria-label="Training">
      <h2>Training</h2>
      <ComputeDeviceLine api={props.api} role="training" />
      {resumable && !running && <ResumeOffer run={resumable} onResume={onResume} onDiscard={onDiscard} />}
      <div className="row">
        <button onClick={() => onStart({ fromScratch: false, minutes: budget, augmentation: recipe.augmentation })} disabled={running || activeModelId === null}
          title={withShortcut('Model ▸ Retrain on Edits: fine-tunes the active model, the edited slices weighted up', 'model:retrain')}>Retrain on edits</button>
        <label title="The retrain stops when its time is up">Budget <input type="number" min={0.1} max={120} step={0.5} value={budget} disabled={running}
          onChange={(e) => setBudget(Math.max(0.1, Number(e.target.value) || RETRAIN_BUDGET_MINUTES))} aria-label="Retrain budget (minutes)" /> min</label>
      </div>
      <p className="hint" data-testid="retrain-plan">{activeModelId === null ? 'No model yet: train one from scratch.'
        : `Fine-tunes model ${activeModelId} on ${editedSlices} edited slice${editedSlices === 1 ? '' : 's'} of this patient (all patients' edits count) plus a replay of the rest, for at most ${budget} min.`}</p>
      <details className="from-scratch">
        <summary>New model from scratch</summary>
        <div className="row">
          <label>Preset <select value={preset} onChange={(e) => setPreset(e.target.value as PresetName)} disabled={running} aria-label="Preset">
            {PRESET_NAMES.map((name) => <option key={name} value={name}>{PRESET_LABELS[name]}</option>)}
          </select></label>
          <label>Epochs <input type="number" min={1} max={1000} value={epochs} disabled={running} onChange={(e) => setEpochs(Math.max(1, Number(e.target.value) || 1))} aria-label="Epochs" /></label>
          <button onClick={trainFromScratch} disabled={running} title={withShortcut('Model ▸ Train from Scratch; asks first', 'model:train-from-scratch')}>Train from scratch</button>
        </div>
        <OptimizerFields recipe={recipe} disabled={running} onChange={setRecipe} />
      </details>
      <details className="augmentation" data-testid="augmentation-settings">
        <summary>Augmentation</summary>
        <AugmentationFields recipe={recipe} disabled={running} onChange={setRecipe} />
        <button onClick={() => setPreviewing(true)} disabled={sliceId === null}
          title="Draw the slice on screen and its mask under random draws of these settings">Preview</button>
      </details>
      {previewing && sliceId !== null && <AugmentationPreviewDialog api={api} sliceId={sliceId} augmentation={recipe.augmentation}
        preset={preset} onClose={() => setPreviewing(false)} />}
      <div className="row">
        <progress max={1} value={fraction} aria-label="Training progress" data-fraction={fraction.toFixed(3)} data-ends-by={position?.endsBy} />
        <button onClick={onCancel} disabled={!running}>Cancel</button>
      </div>
      <p className="training-status" data-testid="training-status">{status}</p>
      <TrainingChart history={history} />
      {message && <p className="message" data-testid="training-message">{message}</p>}
      {rejected && !running && <RejectedOffer model={rejected} onActivate={onActivate} />}
    </section>
  );
});
