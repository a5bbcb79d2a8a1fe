import { writeTransaction, type CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel, type ModelVersion } from '../catalog/models.js';
import { countPredictions, savePrediction } from '../catalog/predictions.js';
import { listSlices } from '../catalog/slices.js';
import { localModelFile } from '../catalog/stored-files.js';
import type { Patient } from '../catalog/types.js';
import type { HomePaths } from '../home.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { DEFAULTS } from '../ml/config.js';
import type { JobPatient } from '../ml/jobs.js';
import { startComputeJob } from '../compute/host.js';
import type { SlicePrediction } from '../compute/predict-job.js';
import type { ComputeMessage } from '../compute/protocol.js';
import type { WarmPredictor } from '../compute/warm-predictor.js';
import { buildJobPatients } from './job-builder.js';

// The prediction pipeline: load a model, predict patients in a compute process (the model's own post-processing,
// largest component and test-time flip, runs there), store each slice's probabilities. What to predict and when is
// the prediction service's; where (this workstation or a team's worker) is prediction-placement's.
/** The model to use: the one asked for, else the active one; a clear error when there is none. */
export async function resolveModel(db: CatalogDb, modelId: number | undefined): Promise<ModelVersion> {
  const id = modelId ?? await activeModelId(db);
  if (id === null) throw new Error('there is no trained model yet: run `brainseg train` first');
  const model = await findModel(db, id);
  if (!model) throw new Error(`there is no model ${id} (see 'brainseg models')`);
  return model;
}

/**
 * In a warm predictor: `urgent` (someone waits for it) runs ahead of background jobs; `previewSliceId` asks for
 * that slice's prediction first, before the volume's, handed to `onPreview` (also a promoted job's preview);
 * `onQueued` receives the job's id, to promote it.
 */
export interface WarmPrediction {
  predictor: WarmPredictor;
  urgent?: boolean;
  previewSliceId?: number;
  previewOnly?: boolean;
  onPreview?(prediction: SlicePrediction): void;
  onQueued?(jobId: number): void;
}

/**
 * Runs a model over patients in the compute process (a one-off, or the warm predictor) and hands each slice's
 * 8-bit probability map to `onSlice`. Resolves with the number of slices predicted.
 */
export async function predictPatients(
  db: CatalogDb,
  home: HomePaths,
  model: ModelVersion,
  patients: JobPatient[],
  backend: BackendChoice,
  onSlice: (prediction: SlicePrediction) => void,
  onEvent: (message: ComputeMessage) => void = () => undefined,
  warm?: WarmPrediction,
): Promise<{ slices: number; seconds: number }> {
  const largestComponent = (model.config['largestComponent'] as boolean | undefined) ?? DEFAULTS.largestComponent;
  const testTimeFlip = (model.config['testTimeFlip'] as boolean | undefined) ?? DEFAULTS.testTimeFlip;
  const job = { backend, modelFile: await localModelFile(db, model, home.models), patients, largestComponent, testTimeFlip };
  if (warm) {
    const { predictor, urgent, previewSliceId, previewOnly, onPreview, onQueued } = warm;
    return predictor.predict({ ...job, ...(urgent && { urgent }), ...(previewSliceId !== undefined && { previewSliceId }), ...(previewOnly && { previewOnly }) }, onSlice, {
      ...(onPreview && { onPreview }), ...(onQueued && { onQueued }),
    });
  }
  const computeJob = startComputeJob(
    { type: 'predict', job },
    (message) => (message.type === 'prediction' ? onSlice(message) : onEvent(message)),
  );
  const end = await computeJob.finished;
  if (end.type !== 'predicted') throw new Error('prediction was cancelled');
  return { slices: end.slices, seconds: end.seconds };
}

/** Predicts catalogued patients and stores each slice's probabilities, linked to the model version. */
export async function predictAndStore(
  db: CatalogDb,
  home: HomePaths,
  request: { patients: Patient[]; modelId?: number; backend: BackendChoice; warm?: WarmPrediction },
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<{ model: ModelVersion; slices: number; seconds: number }> {
  const model = await resolveModel(db, request.modelId);
  const jobs = (await buildJobPatients(db, { patients: request.patients, home })).map((p) => ({
    ...p,
    slices: p.slices.map((s) => ({ ...s, mask: null })), // prediction needs no masks: keep the message small
  }));
  // Predictions are recomputable, so they are committed in batches: one durable sync per batch, not per slice.
  const pending: SlicePrediction[] = [];
  const total = jobs.reduce((n, p) => n + p.slices.length, 0);
  let done = 0;
  // Batches are written one after another (the chain), and a failed write fails the whole call.
  let written: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending.splice(0);
    written = written.then(() =>
      writeTransaction(db, async (trx) => {
        for (const p of batch) {
          await savePrediction(trx, { sliceId: p.sliceId, modelId: model.id, width: p.width, height: p.height, probabilities: p.probabilities });
        }
      }),
    );
  };
  let summary: { slices: number; seconds: number };
  try {
    summary = await predictPatients(db, home, model, jobs, request.backend, (p) => {
      pending.push(p);
      if (pending.length >= 32) flush();
      onProgress(++done, total);
    }, undefined, request.warm);
  } finally {
    flush();
    await written;
  }
  return { model, ...summary };
}

/**
 * Whether every slice of a patient has a model's prediction. A whole patient or nothing is predicted: the
 * largest-lesion step works on the volume, so a partial run would differ.
 */
export async function isPredicted(db: CatalogDb, patientId: number, modelId: number): Promise<boolean> {
  return await countPredictions(db, patientId, modelId) >= (await listSlices(db, patientId)).length;
}
