import path from 'node:path';
import { writeTransaction, type CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel, type ModelVersion } from '../catalog/models.js';
import { countPredictions, findPrediction, savePrediction } from '../catalog/predictions.js';
import { listPatients } from '../catalog/patients.js';
import { listSlices } from '../catalog/slices.js';
import { ContractError, type EventSink, type PredictionPixels, type PredictionRun } from '../api/contract.js';
import { requireSlice } from './catalog-service.js';
import type { Patient } from '../catalog/types.js';
import type { HomePaths } from '../home.js';
import type { BackendChoice } from '../ml/backends/select-backend.js';
import { DEFAULTS } from '../ml/config.js';
import { startTrainer } from '../trainer/host.js';
import { buildJobPatients } from './job-builder.js';
import type { TrainerMessage } from '../trainer/protocol.js';
import type { JobPatient } from '../ml/jobs.js';

/** The model to use: the one asked for, else the active one; a clear error when there is none. */
export function resolveModel(db: CatalogDb, modelId: number | undefined): ModelVersion {
  const id = modelId ?? activeModelId(db);
  if (id === null) throw new Error('there is no trained model yet: run `brainseg train` first');
  const model = findModel(db, id);
  if (!model) throw new Error(`there is no model ${id} (see 'brainseg models')`);
  return model;
}

/**
 * Runs a model over patients in the trainer process and hands each slice's 8-bit probability map to `onSlice`.
 * Resolves with the number of slices predicted.
 */
export async function predictPatients(
  home: HomePaths,
  model: ModelVersion,
  patients: JobPatient[],
  backend: BackendChoice,
  onSlice: (prediction: Extract<TrainerMessage, { type: 'prediction' }>) => void,
  onEvent: (message: TrainerMessage) => void = () => undefined,
): Promise<{ slices: number; seconds: number }> {
  const largestComponent = (model.config['largestComponent'] as boolean | undefined) ?? DEFAULTS.largestComponent;
  const testTimeFlip = (model.config['testTimeFlip'] as boolean | undefined) ?? DEFAULTS.testTimeFlip;
  const trainer = startTrainer(
    { type: 'predict', job: { backend, modelFile: path.resolve(home.models, model.file), patients, largestComponent, testTimeFlip } },
    (message) => (message.type === 'prediction' ? onSlice(message) : onEvent(message)),
  );
  const end = await trainer.finished;
  if (end.type !== 'predicted') throw new Error('prediction was cancelled');
  return { slices: end.slices, seconds: end.seconds };
}

/** Predicts catalogued patients and stores each slice's probabilities, linked to the model version. */
export async function predictAndStore(
  db: CatalogDb,
  home: HomePaths,
  request: { patients: Patient[]; modelId?: number; backend: BackendChoice },
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<{ model: ModelVersion; slices: number; seconds: number }> {
  const model = resolveModel(db, request.modelId);
  const jobs = buildJobPatients(db, { patients: request.patients }).map((p) => ({
    ...p,
    slices: p.slices.map((s) => ({ ...s, mask: null })), // prediction needs no masks: keep the message small
  }));
  // Predictions are recomputable, so they are committed in batches: one durable sync per batch, not per slice.
  const pending: Extract<TrainerMessage, { type: 'prediction' }>[] = [];
  const total = jobs.reduce((n, p) => n + p.slices.length, 0);
  let done = 0;
  const flush = () => writeTransaction(db, () => {
    for (const p of pending.splice(0)) {
      savePrediction(db, { sliceId: p.sliceId, modelId: model.id, width: p.width, height: p.height, probabilities: p.probabilities });
    }
  });
  const summary = await predictPatients(home, model, jobs, request.backend, (p) => {
    pending.push(p);
    if (pending.length >= 32) flush();
    onProgress(++done, total);
  });
  flush();
  return { model, ...summary };
}

/** Predictions as the UI asks for them. */
export interface PredictionService {
  /** A slice's stored prediction by a model (default: the active one), or null when there is none. */
  get(sliceId: number, modelId?: number): PredictionPixels | null;
  /**
   * Predicts a patient and stores the result, reporting progress and, at the end, `predictions:done`.
   * `ifMissing`: only when some slice has no prediction by that model yet (opening a patient).
   */
  run(request: { patientId: number; modelId?: number; ifMissing?: boolean }, after?: { previousModelId: number | null }): Promise<PredictionRun>;
}

export function createPredictionService(db: CatalogDb, home: HomePaths, emit: EventSink): PredictionService {
  return {
    get(sliceId, modelId) {
      const model = modelId ?? activeModelId(db);
      if (model === null) return null;
      const prediction = findPrediction(db, requireSlice(db, sliceId).id, model);
      return prediction ? { modelId: model, width: prediction.width, height: prediction.height, data: prediction.probabilities } : null;
    },
    async run({ patientId, modelId, ifMissing }, after) {
      const patient = listPatients(db).find((p) => p.id === patientId);
      if (!patient) throw new ContractError(`there is no patient ${patientId}`);
      if (ifMissing) {
        // A whole patient or nothing: the largest-lesion step works on the volume, so a partial run would differ.
        const model = modelId ?? activeModelId(db);
        if (model === null) throw new ContractError('there is no model yet: train one first');
        if (countPredictions(db, patientId, model) >= listSlices(db, patientId).length) return { patientId, modelId: model, slices: 0, seconds: 0 };
      }
      const { model, slices, seconds } = await predictAndStore(db, home, { patients: [patient], ...(modelId && { modelId }), backend: 'auto' },
        (done, total) => emit('predictions:progress', { patientId, done, total }));
      const run = { patientId, modelId: model.id, slices, seconds };
      emit('predictions:done', { ...run, ...after });
      return run;
    },
  };
}
