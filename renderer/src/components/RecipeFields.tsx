import {
  AUGMENTATION_DEFAULTS, LR_SCHEDULE_NAMES, OPTIMIZER_NAMES,
  type AugmentationSettings, type LearningRateSchedule, type OptimizerName,
} from '../../../src/contract/index.js';

/** What a run is trained with beyond its preset: optimiser, schedule and augmentation. */
export interface Recipe {
  optimizer: OptimizerName;
  schedule: LearningRateSchedule;
  augmentation: AugmentationSettings;
}

/** Today's training defaults (src/ml/config.ts): Adam along the cosine, Buda's augmentation plus intensity. */
export const DEFAULT_RECIPE: Recipe = { optimizer: 'adam', schedule: 'cosine', augmentation: { ...AUGMENTATION_DEFAULTS } };

const OPTIMIZER_LABELS: Readonly<Record<OptimizerName, string>> = { adam: 'Adam', sgd: 'SGD (momentum 0.9)' };

/** Each augmentation field: its label, the limits the core accepts, and what it does. */
const FIELDS: readonly { key: keyof AugmentationSettings; label: string; max: number; step: number; title: string }[] = [
  { key: 'flipProbability', label: 'Flip', max: 1, step: 0.05, title: 'Probability of a left–right mirror' },
  { key: 'scale', label: 'Scale ±', max: 0.5, step: 0.01, title: 'Zoom by 1 ± this, drawn per sample' },
  { key: 'rotationDegrees', label: 'Rotation ±°', max: 180, step: 1, title: 'Rotate by up to this many degrees either way' },
  { key: 'intensity', label: 'Intensity ±', max: 0.9, step: 0.01, title: 'Per sequence: gain 1 ± this, shift ± this (z-scored units)' },
];

/** Clamps a typed value into a field's range; an empty or non-numeric entry keeps the previous value. */
function clampField(text: string, previous: number, max: number): number {
  const value = Number(text);
  return text.trim() === '' || !Number.isFinite(value) ? previous : Math.min(max, Math.max(0, value));
}

interface Props {
  recipe: Recipe;
  disabled: boolean;
  onChange(recipe: Recipe): void;
}

/** The optimiser and learning-rate schedule of a run from scratch. */
export function OptimizerFields({ recipe, disabled, onChange }: Props) {
  return (
    <div className="row">
      <label>Optimizer <select value={recipe.optimizer} disabled={disabled} aria-label="Optimizer"
        onChange={(e) => {
          const optimizer = e.target.value as OptimizerName;
          // SGD is meant with one-cycle (the reference recipe) and Adam with the cosine: switching follows suit.
          onChange({ ...recipe, optimizer, schedule: optimizer === 'sgd' ? 'one-cycle' : 'cosine' });
        }}>
        {OPTIMIZER_NAMES.map((name) => <option key={name} value={name}>{OPTIMIZER_LABELS[name]}</option>)}
      </select></label>
      <label>Schedule <select value={recipe.schedule} disabled={disabled} aria-label="Learning-rate schedule"
        onChange={(e) => onChange({ ...recipe, schedule: e.target.value as LearningRateSchedule })}>
        {LR_SCHEDULE_NAMES.map((name) => <option key={name} value={name}>{name}</option>)}
      </select></label>
    </div>
  );
}

/** The augmentation settings, as editable fields; they go with both a retrain and a run from scratch. */
export function AugmentationFields({ recipe, disabled, onChange }: Props) {
  const set = (key: keyof AugmentationSettings, value: number) => onChange({ ...recipe, augmentation: { ...recipe.augmentation, [key]: value } });
  return (
    <div className="row augmentation-fields">
      {FIELDS.map(({ key, label, max, step, title }) => (
        <label key={key} title={title}>{label} <input type="number" min={0} max={max} step={step} disabled={disabled}
          aria-label={`Augmentation: ${label}`} value={recipe.augmentation[key]}
          onChange={(e) => set(key, clampField(e.target.value, recipe.augmentation[key], max))} /></label>
      ))}
      <button onClick={() => onChange({ ...recipe, augmentation: { ...AUGMENTATION_DEFAULTS } })} disabled={disabled}
        title="Back to today's training defaults">Defaults</button>
    </div>
  );
}
