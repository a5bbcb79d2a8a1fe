import path from 'node:path';
import { writeTransaction, type CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel, type ModelVersion } from '../catalog/models.js';
import { savePrediction } from '../catalog/predictions.js';
import type { Patient } from '../catalog/types.js';
import type { HomePaths } from '../home.js';
import type { BackendChoice } from '../ml/backends/select-backend.js';
import { DEFAULTS } from '../ml/config.js';
import { startTrainer } from './host.js';
import { buildJobPatients } from './job-builder.js';
import type { JobPatient, TrainerMessage } from './protocol.js';

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
  const trainer = startTrainer(
    { type: 'predict', job: { backend, modelFile: path.resolve(home.models, model.file), patients, largestComponent } },
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
