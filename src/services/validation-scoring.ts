import type { CatalogDb } from '../catalog/db.js';
import { readCurrentMask } from '../catalog/masks.js';
import { currentValidationSet, findModelScore, saveModelScore, type PatientDice, type ValidationSet } from '../catalog/model-scores.js';
import { listModels } from '../catalog/models.js';
import { findPrediction, predictedMask } from '../catalog/predictions.js';
import { listSlices } from '../catalog/slices.js';
import type { EventSink, ModelValidationScore, ValidationScores } from '../contract/index.js';
import { summarize } from '../ml/metrics.js';
import { scorePatient } from '../ml/patient-scores.js';

/** Every model scored on the same patients: this data folder's validation split (issue #31 item 4). */
export interface ValidationScoring {
  /** The scores known now; a model not yet scored on the current validation set is queued and shown `scoring`. */
  scores(): Promise<ValidationScores>;
}

/** Has a model's predictions of a patient stored (the prediction service's background run). */
export type EnsurePredicted = (patientId: number, modelId: number) => Promise<void>;

/**
 * Scores one model on a validation set: each patient predicted by it (stored predictions are reused), thresholded
 * at 0.5 and compared with the current masks volume by volume, exactly as `brainseg eval` scores a folder; the
 * score is the mean over patients. Throws when the set changed meanwhile (a mask edited): the caller asks again.
 */
export async function scoreModel(db: CatalogDb, modelId: number, set: ValidationSet, ensurePredicted: EnsurePredicted): Promise<number> {
  const patients: PatientDice[] = [];
  for (const patient of set.patients) {
    await ensurePredicted(patient.id, modelId);
    const predicted: Uint8Array[] = [];
    const truth: Uint8Array[] = [];
    for (const slice of await listSlices(db, patient.id)) {
      const prediction = await findPrediction(db, slice.id, modelId);
      if (!prediction) throw new Error(`model ${modelId} has no prediction of slice ${slice.number} of ${patient.caseId}`);
      predicted.push(predictedMask(prediction.probabilities));
      truth.push((await readCurrentMask(db, slice.id, slice.width, slice.height)).data);
    }
    patients.push({ caseId: patient.caseId, dice: scorePatient(predicted, truth).dice });
  }
  if ((await currentValidationSet(db)).key !== set.key) throw new ValidationSetChanged();
  const { mean } = summarize(patients.map((p) => p.dice));
  await saveModelScore(db, set.key, { modelId, dice: mean, patients });
  return mean;
}

class ValidationSetChanged extends Error {
  constructor() {
    super('the validation masks changed while scoring');
  }
}

/**
 * Scores in the background, one model at a time (each is a prediction of every validation patient), and pushes
 * `models:scored` as each one ends. Scores are cached in the catalog per (model, validation set), so a model is
 * scored once per state of the validation masks. Interactive models are not listed: they need clicks to predict.
 */
export function createValidationScoring(db: CatalogDb, ensurePredicted: EnsurePredicted, emit: EventSink): ValidationScoring {
  const queue: { modelId: number; set: ValidationSet }[] = [];
  const failed = new Map<string, string>();
  let working = false;
  const name = (modelId: number, set: ValidationSet) => `${modelId}:${set.key}`;

  const drain = async () => {
    working = true;
    try {
      for (let job = queue[0]; job; job = queue[0]) {
        try {
          await scoreModel(db, job.modelId, job.set, ensurePredicted);
        } catch (error) {
          if (!(error instanceof ValidationSetChanged)) failed.set(name(job.modelId, job.set), (error as Error).message);
        }
        queue.shift();
        emit('models:scored', await scores());
      }
    } finally {
      working = false;
    }
  };

  const scores = async (): Promise<ValidationScores> => {
    const set = await currentValidationSet(db);
    const models = (await listModels(db)).filter((m) => m.config['kind'] !== 'interactive');
    // The active model first, then the newest: what a person compares first is scored first.
    models.sort((a, b) => Number(b.active) - Number(a.active) || b.id - a.id);
    const list: ModelValidationScore[] = [];
    for (const model of models) {
      const cached = set.patients.length ? await findModelScore(db, model.id, set.key) : undefined;
      const failure = failed.get(name(model.id, set));
      if (cached) list.push({ modelId: model.id, state: 'scored', dice: cached.dice });
      else if (set.patients.length === 0) list.push({ modelId: model.id, state: 'failed', dice: null, message: 'no validation patient has a mask' });
      else if (failure !== undefined) list.push({ modelId: model.id, state: 'failed', dice: null, message: failure });
      else {
        if (!queue.some((job) => job.modelId === model.id && job.set.key === set.key)) queue.push({ modelId: model.id, set });
        list.push({ modelId: model.id, state: 'scoring', dice: null });
      }
    }
    if (queue.length && !working) void drain();
    return { patients: set.patients.map((p) => p.caseId), models: list };
  };
  return { scores };
}
