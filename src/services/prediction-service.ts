import { writeTransaction, type CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel, type ModelVersion } from '../catalog/models.js';
import { countPredictions, findPrediction, savePrediction } from '../catalog/predictions.js';
import { findPatient } from '../catalog/patients.js';
import { listSlices } from '../catalog/slices.js';
import { localModelFile } from '../catalog/stored-files.js';
import { ContractError, type EventSink, type PredictionPixels, type PredictionRun } from '../contract/index.js';
import { requireSlice } from './catalog-service.js';
import type { Patient } from '../catalog/types.js';
import type { HomePaths } from '../home.js';
import type { BackendChoice } from '../ml/backends/select-backend.js';
import { DEFAULTS } from '../ml/config.js';
import { startTrainer } from '../trainer/host.js';
import type { SlicePrediction } from '../trainer/predict-job.js';
import { WarmPredictor } from '../trainer/warm-predictor.js';
import { buildJobPatients } from './job-builder.js';
import type { PredictionJob, WorkstationQueue } from '../infrastructure/job-queue.js';
import type { TrainerMessage } from '../trainer/protocol.js';
import type { JobPatient } from '../ml/jobs.js';

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
 * Runs a model over patients in the trainer process (a one-off, or the warm predictor) and hands each slice's
 * 8-bit probability map to `onSlice`. Resolves with the number of slices predicted.
 */
export async function predictPatients(
  db: CatalogDb,
  home: HomePaths,
  model: ModelVersion,
  patients: JobPatient[],
  backend: BackendChoice,
  onSlice: (prediction: SlicePrediction) => void,
  onEvent: (message: TrainerMessage) => void = () => undefined,
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
  const trainer = startTrainer(
    { type: 'predict', job },
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

/** Predictions as the UI asks for them. */
export interface PredictionService {
  /** A slice's stored prediction by a model (default: the active one), or null when there is none. */
  get(sliceId: number, modelId?: number): Promise<PredictionPixels | null>;
  /**
   * Predicts a patient and stores the result, reporting progress and, at the end, `predictions:done`.
   * `ifMissing`: only when some slice has no prediction by that model yet (opening a patient). `sliceId`: the
   * slice on screen, whose own prediction is sent first as `predictions:preview`.
   */
  run(request: { patientId: number; modelId?: number; ifMissing?: boolean; sliceId?: number }, after?: { previousModelId: number | null }): Promise<PredictionRun>;
  /** Predicts these patients with the active model where they lack its predictions, one by one, in the background. */
  predictInBackground(patientIds: readonly number[]): void;
  /** Loads the active model into the warm predictor ahead of need (one activated elsewhere, by a team's worker). */
  warmActiveModel(): void;
  /** Stops the warm predictor process. */
  close(): void;
}

/**
 * The UI's predictions run in one warm predictor process (started now if a model is active, so the first patient
 * opened is not kept waiting for a process, a backend and a model to load), one patient at a time. In a team
 * catalog they are jobs for the team's workers whenever one is connected (its progress and end reach every
 * workstation through the change feed); with none connected, this workstation predicts them itself.
 */
export function createPredictionService(db: CatalogDb, home: HomePaths, emit: EventSink, teamQueue: WorkstationQueue | null = null): PredictionService {
  const predictor = new WarmPredictor('auto');
  void warmActiveModel(db, home, predictor);
  // A patient being predicted, by model: a second request for it waits for that run instead of repeating it. A
  // background run asked for by someone (a patient opened) is promoted in the predictor: it goes ahead of the
  // other background work, previewing the slice on screen if it has not started.
  const inFlight = new Map<string, { run: Promise<PredictionRun>; asked: boolean; promote(sliceId?: number): void }>();
  const background: number[] = [];
  let backgroundRunning = false;

  const run = async (
    { patientId, modelId, ifMissing, sliceId }: Parameters<PredictionService['run']>[0],
    after?: { previousModelId: number | null },
    asked = true,
  ): Promise<PredictionRun> => {
    const patient = await findPatient(db, patientId);
    if (!patient) throw new ContractError(`there is no patient ${patientId}`);
    const model = modelId ?? await activeModelId(db);
    if (model === null) throw new ContractError('there is no model yet: train one first');
    const key = `${patientId}:${model}`;
    const running = inFlight.get(key);
    if (ifMissing) {
      if (running) {
        if (asked && !running.asked) {
          running.asked = true;
          running.promote(sliceId);
        }
        return running.run;
      }
      if (await isPredicted(db, patientId, model)) return { patientId, modelId: model, slices: 0, seconds: 0 };
    }
    let jobId: number | null = null;
    const entry = {
      asked,
      promote: (previewSliceId?: number) => jobId !== null && predictor.promote(jobId, previewSliceId),
      run: (async () => {
        await running?.run.catch(() => undefined);
        const onPreview = ({ sliceId: shown, width, height, probabilities }: SlicePrediction) =>
          emit('predictions:preview', { patientId, sliceId: shown, modelId: model, width, height, data: probabilities });
        // At a team's worker the volume is its job; the slice on screen is previewed here meanwhile.
        const previewHere = () => {
          if (sliceId === undefined) return;
          const warm = { predictor, urgent: true, previewSliceId: sliceId, previewOnly: true, onPreview };
          void predictAndStore(db, home, { patients: [patient], modelId: model, backend: 'auto', warm }).catch(() => undefined);
        };
        const atWorker = await predictAtWorker(teamQueue, { patientId, modelId: model, ifMissing, previousModelId: after?.previousModelId }, previewHere);
        if (atWorker) return atWorker;
        const warm: WarmPrediction = {
          predictor, urgent: asked, ...(sliceId !== undefined && { previewSliceId: sliceId }), onPreview,
          onQueued: (id) => {
            jobId = id;
          },
        };
        const summary = await predictAndStore(db, home, { patients: [patient], modelId: model, backend: 'auto', warm },
          (done, total) => emit('predictions:progress', { patientId, done, total }));
        const result = { patientId, modelId: summary.model.id, slices: summary.slices, seconds: summary.seconds };
        emit('predictions:done', { ...result, ...after });
        return result;
      })(),
    };
    inFlight.set(key, entry);
    try {
      return await entry.run;
    } finally {
      if (inFlight.get(key) === entry) inFlight.delete(key);
    }
  };

  // Patients just imported are predicted one by one behind the UI's own requests (which the predictor runs first,
  // the background patient giving way), so a patient opened a little later already has its prediction.
  const drainBackground = async () => {
    backgroundRunning = true;
    try {
      for (let id = background.shift(); id !== undefined; id = background.shift()) {
        if (await activeModelId(db) === null) break;
        await run({ patientId: id, ifMissing: true }, undefined, false).catch(() => undefined);
      }
    } finally {
      backgroundRunning = false;
    }
  };

  return {
    close: () => predictor.close(),
    warmActiveModel: () => void warmActiveModel(db, home, predictor),
    async get(sliceId, modelId) {
      const model = modelId ?? (await activeModelId(db));
      if (model === null) return null;
      const prediction = await findPrediction(db, (await requireSlice(db, sliceId)).id, model);
      return prediction ? { modelId: model, width: prediction.width, height: prediction.height, data: prediction.probabilities } : null;
    },
    run: (request, after) => run(request, after),
    predictInBackground(patientIds) {
      background.push(...patientIds.filter((id) => !background.includes(id)));
      if (!backgroundRunning) void drainBackground();
    },
  };
}

/**
 * Runs a prediction as a job of the team's workers and waits for it (`onQueued` once it is queued); null when
 * there is no team or no worker.
 */
async function predictAtWorker(teamQueue: WorkstationQueue | null, job: PredictionJob, onQueued: () => void): Promise<PredictionRun | null> {
  const queue = await teamQueue?.get().catch(() => null);
  if (!queue || !(await queue.workersConnected())) return null;
  const id = await queue.enqueuePrediction(job);
  onQueued();
  return queue.predictionResult(id);
}

/** Loads the active model into the warm predictor ahead of the first request; best effort (a request loads it too). */
async function warmActiveModel(db: CatalogDb, home: HomePaths, predictor: WarmPredictor): Promise<void> {
  try {
    const active = await activeModelId(db);
    const model = active === null ? undefined : await findModel(db, active);
    if (model) predictor.warm(await localModelFile(db, model, home.models));
  } catch {
    // The catalog closed first (a short-lived server): nothing to warm.
  }
}
