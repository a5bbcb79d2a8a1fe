import { announce } from '../catalog/catalog-feed.js';
import type { CatalogDb } from '../catalog/db.js';
import { activeModelId } from '../catalog/models.js';
import { findPatient, listPatients } from '../catalog/patients.js';
import type { PredictionRun } from '../contract/index.js';
import type { HomePaths } from '../home.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { WarmPredictor } from '../compute/warm-predictor.js';
import { JobQueue, PRIORITY, TRAIN_QUEUE, type PredictionJob, type TrainingJob } from '../infrastructure/job-queue.js';
import { isPredicted, predictAndStore } from './prediction-pipeline.js';
import { doneEvent, trainRequestFrom } from './training-session.js';
import { startTraining, type TrainOutcome, type TrainingRun } from './training-service.js';

/** How often a running training's job is checked for a cancel from a workstation. */
const CANCEL_CHECK_MS = 2000;
/** How often the other workers' trainings are checked for a worker that died. */
const ORPHAN_CHECK_MS = 5000;
/** How many of a run's validations its announced progress carries (the newest). */
const MAX_ANNOUNCED_VALIDATIONS = 100;
/** Prediction progress is announced at most this often (every workstation with the patient open shows it). */
const PROGRESS_EVERY_MS = 250;

/** A running worker: stop() lets go of the queue and the predictor (a job under way is left to be retried). */
export interface TeamWorker {
  stop(): Promise<void>;
}

/**
 * Claims a team catalog's jobs and runs them here: trainings one at a time (in a compute process) and, beside
 * them, predictions one at a time (in a warm predictor). Progress and results reach every workstation through the
 * catalog (`announce`); an accepted model is registered with its weights in one transaction, and every patient is
 * then predicted by it — the one on the requester's screen first.
 */
export async function startTeamWorker(db: CatalogDb, home: HomePaths, url: string, backend: BackendChoice, log: (line: string) => void): Promise<TeamWorker> {
  const queue = await JobQueue.open(url, 'worker');
  const predictor = new WarmPredictor(backend);
  await queue.workTraining(async (job, id) => {
    log(`Job ${id}: training ${JSON.stringify(job.request)}`);
    try {
      const outcome = await runTraining(db, home, queue, job, id, backend);
      log(`Job ${id}: ${outcome.kind === 'trained' ? `model ${outcome.model.id} (${outcome.accepted ? 'active' : 'rejected'})` : 'cancelled'}`);
    } catch (error) {
      // Reported to every workstation, and thrown so that pg-boss retries the job.
      await announce(db, { kind: 'training-done', done: { outcome: 'failed', message: (error as Error).message } }).catch(() => undefined);
      log(`Job ${id} failed: ${(error as Error).message}`);
      throw error;
    }
  });
  await queue.workPredictions(async (job, id) => {
    try {
      const run = await runPrediction(db, home, job, backend, predictor);
      log(`Job ${id}: patient ${job.patientId} by model ${job.modelId}: ${run.slices} slices predicted in ${run.seconds.toFixed(1)} s`);
      return run;
    } catch (error) {
      log(`Job ${id} failed: ${(error as Error).message}`);
      throw error;
    }
  });
  // A worker that died (kill -9, a machine down) is noticed by the lock it held; its job is retried at once.
  const orphanWatch = setInterval(() => {
    queue.failOrphans().then((ids) => ids.forEach((id) => log(`Job ${id}: its worker is gone; handed back to the queue`)), () => undefined);
  }, ORPHAN_CHECK_MS);
  return {
    async stop() {
      clearInterval(orphanWatch);
      predictor.close();
      await queue.close();
    },
  };
}

async function runTraining(db: CatalogDb, home: HomePaths, queue: JobQueue, job: TrainingJob, id: string, backend: BackendChoice): Promise<TrainOutcome> {
  let training: TrainingRun | null = null;
  let lost = false;
  // Taken before anything else, so other workers see this job's worker alive; lost, the run stops.
  const release = await queue.holdJob(id, () => {
    lost = true;
    training?.cancel();
  });
  let outcome: TrainOutcome;
  const parentId = job.request.fromScratch ? null : await activeModelId(db);
  // A workstation cancels by cancelling the job in the queue; the training run stops before registering anything.
  const cancelWatch = setInterval(() => {
    queue.isActive(TRAIN_QUEUE, id).then((active) => active || training?.cancel(), () => undefined);
  }, CANCEL_CHECK_MS);
  try {
    training = await startTraining(db, home, trainRequestFrom(job.request, backend), (message) => {
      // A NOTIFY payload holds 8000 bytes: the newest validations (all of any usual run) fit, a thousand epochs' would not.
      const progress = message.type === 'progress' && { ...message.progress, validations: message.progress.validations.slice(-MAX_ANNOUNCED_VALIDATIONS) };
      if (progress) void announce(db, { kind: 'training-progress', progress }).catch(() => undefined);
    });
    if (lost) training.cancel();
    outcome = await training.outcome;
  } finally {
    clearInterval(cancelWatch);
    await release();
  }
  if (lost && outcome.kind !== 'trained') throw new Error('the connection that kept this job claimed was lost; another worker runs it');
  await announce(db, { kind: 'training-done', done: doneEvent(outcome) });
  if (outcome.kind === 'trained' && outcome.accepted) await queuePredictionsBy(db, queue, outcome.model.id, parentId, job.request.patientId);
  return outcome;
}

/**
 * After an accepted retrain: the requester's patient is predicted by the new model (and by its parent where that
 * is missing, for the "what changed" view) ahead of everything; then every other patient, in the background.
 */
async function queuePredictionsBy(db: CatalogDb, queue: JobQueue, modelId: number, parentId: number | null, shownPatientId: number | undefined): Promise<void> {
  if (shownPatientId !== undefined) {
    if (parentId !== null) await queue.enqueuePrediction({ patientId: shownPatientId, modelId: parentId, ifMissing: true });
    await queue.enqueuePrediction({ patientId: shownPatientId, modelId, previousModelId: parentId });
  }
  for (const patient of await listPatients(db)) {
    if (patient.id !== shownPatientId) await queue.enqueuePrediction({ patientId: patient.id, modelId, ifMissing: true }, PRIORITY.background);
  }
}

async function runPrediction(db: CatalogDb, home: HomePaths, job: PredictionJob, backend: BackendChoice, predictor: WarmPredictor): Promise<PredictionRun> {
  const { patientId, modelId, ifMissing, previousModelId } = job;
  const patient = await findPatient(db, patientId);
  if (!patient) throw new Error(`there is no patient ${patientId}`);
  if (ifMissing && await isPredicted(db, patientId, modelId)) return { patientId, modelId, slices: 0, seconds: 0 };
  let announced = 0;
  const summary = await predictAndStore(db, home, { patients: [patient], modelId, backend, warm: { predictor } }, (done, total) => {
    if (done < total && Date.now() - announced < PROGRESS_EVERY_MS) return;
    announced = Date.now();
    void announce(db, { kind: 'prediction-progress', progress: { patientId, done, total } }).catch(() => undefined);
  });
  const run = { patientId, modelId, slices: summary.slices, seconds: summary.seconds };
  await announce(db, { kind: 'predictions-done', run: { ...run, ...(previousModelId !== undefined && { previousModelId }) } });
  return run;
}
