import type { CatalogDb } from '../catalog/db.js';
import { activeModelId } from '../catalog/models.js';
import { findPrediction } from '../catalog/predictions.js';
import { findPatient } from '../catalog/patients.js';
import { ContractError, type EventSink, type PredictionPixels, type PredictionRun } from '../contract/index.js';
import type { HomePaths } from '../home.js';
import type { WorkstationQueue } from '../infrastructure/job-queue.js';
import type { SlicePrediction } from '../compute/predict-job.js';
import { WarmPredictor } from '../compute/warm-predictor.js';
import type { DeviceRegistry } from './device-registry.js';
import { requireSlice } from './catalog-service.js';
import { isPredicted, predictAndStore, type WarmPrediction } from './prediction-pipeline.js';
import { predictAtWorker, warmActiveModel } from './prediction-placement.js';

// The scheduling of the UI's predictions: what to predict (a patient, only if missing), when (asked now, or in the
// background behind the UI's requests) and how many at once (one run per patient and model). The pipeline itself
// is prediction-pipeline's; where it runs is prediction-placement's.
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
  /**
   * Has a model's predictions of a patient stored, predicting it in the background (behind the UI's own requests)
   * where some slice lacks one: what scoring a model on the validation patients reads.
   */
  ensurePredicted(patientId: number, modelId: number): Promise<void>;
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
export function createPredictionService(
  db: CatalogDb, home: HomePaths, emit: EventSink, teamQueue: WorkstationQueue | null = null, devices: DeviceRegistry | null = null,
): PredictionService {
  const predictor = new WarmPredictor('auto');
  predictor.onBackend = (report) => devices?.loaded('prediction', report);
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
    async ensurePredicted(patientId, modelId) {
      await run({ patientId, modelId, ifMissing: true }, undefined, false);
    },
    predictInBackground(patientIds) {
      background.push(...patientIds.filter((id) => !background.includes(id)));
      if (!backgroundRunning) void drainBackground();
    },
  };
}
