import type { CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel } from '../catalog/models.js';
import { ContractError, type EventPayloads, type EventSink, type RequestResults, type TrainingStartRequest } from '../contract/index.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import type { WorkstationQueue } from '../infrastructure/job-queue.js';
import type { HomePaths } from '../home.js';
import type { PredictionService } from './prediction-service.js';
import type { DeviceRegistry } from './device-registry.js';
import { discardRun, findResumableRun } from './resumable-run.js';
import { startTraining, type TrainOutcome, type TrainRequest, type TrainingRun } from './training-service.js';

/** The one training run of a data folder, as the UI drives it. */
export interface TrainingSession {
  start(request: TrainingStartRequest): Promise<{ started: true }>;
  cancel(): Promise<{ cancelling: boolean }> | { cancelling: boolean };
  status(): Promise<RequestResults['training:status']>;
  discard(): Promise<{ discarded: boolean }>;
}

/** What a training run is asked for a training request from the UI (or from a team's job queue). */
export function trainRequestFrom(request: TrainingStartRequest, backend: BackendChoice = 'auto'): TrainRequest {
  const { fromScratch, preset, epochs, minutes, resume, optimizer, schedule, augmentation } = request;
  if (resume) return { config: {}, fromScratch: false, backend, resume: true };
  const config: TrainRequest['config'] = { ...(preset && { preset }), ...(epochs && { epochs }), ...(minutes && { minutes }) };
  if (optimizer) config.optimizer = optimizer;
  if (schedule) config.learningRateSchedule = schedule;
  if (augmentation) {
    config.augmentFlipProbability = augmentation.flipProbability;
    config.augmentScale = augmentation.scale;
    config.augmentRotationDegrees = augmentation.rotationDegrees;
    config.augmentIntensity = augmentation.intensity;
  }
  return { config, fromScratch, backend, resume: false };
}

/** The `training:done` event of a finished run. */
export function doneEvent(outcome: TrainOutcome): EventPayloads['training:done'] {
  return outcome.kind === 'trained'
    ? {
      outcome: 'trained', modelId: outcome.model.id, valDice: outcome.result.valDice, baselineValDice: outcome.result.baselineValDice,
      accepted: outcome.accepted,
    }
    : { outcome: 'cancelled' };
}

/**
 * Starts, cancels and reports training runs (one at a time), and does what follows an accepted run: the patient on
 * screen is predicted by the new model — and by its parent where that prediction is missing, for the "what
 * changed" view — each reported as `predictions:done` with `previousModelId`, so the UI only redraws.
 */
export function createTrainingSession(
  db: CatalogDb, home: HomePaths, predictions: PredictionService, emit: EventSink, teamQueue: WorkstationQueue | null,
  devices: DeviceRegistry | null = null,
): TrainingSession {
  if (teamQueue) return createQueuedTraining(teamQueue);
  let training: TrainingRun | null = null;
  let starting = false;

  const predictAfterRetrain = async (patientId: number, modelId: number, parentId: number | null) => {
    if (parentId !== null && await findModel(db, parentId)) await predictions.run({ patientId, modelId: parentId, ifMissing: true });
    await predictions.run({ patientId, modelId }, { previousModelId: parentId });
  };

  return {
    async start(request) {
      const { fromScratch, patientId } = request;
      // Claimed before the first await: two requests arriving together must not both start a training run.
      if (training || starting) throw new ContractError('a training run is already going');
      starting = true;
      let parentId: number | null;
      let run: TrainingRun;
      try {
        if (request.resume) {
          const stopped = await findResumableRun(db, home);
          if (!stopped) throw new ContractError('there is no stopped training run to resume');
          parentId = stopped.run.parentModelId;
        } else parentId = fromScratch ? null : await activeModelId(db);
        run = await startTraining(db, home, trainRequestFrom(request), (message) => {
          if (message.type === 'progress') emit('training:progress', message.progress);
          if (message.type === 'backend') devices?.loaded('training', message.report);
        });
      } finally {
        starting = false;
      }
      training = run;
      // The slot is free before `training:done` goes out: a UI that asks for the status on hearing it must not be
      // told a run is still going (the predictions that follow an accepted run are not training).
      run.outcome.then(
        async (outcome) => {
          training = null;
          emit('training:done', doneEvent(outcome));
          if (outcome.kind === 'trained' && outcome.accepted && patientId !== undefined) {
            await predictAfterRetrain(patientId, outcome.model.id, parentId).catch((error: Error) =>
              emit('predictions:failed', { patientId, message: error.message }));
          }
        },
        (error: Error) => {
          training = null;
          emit('training:done', { outcome: 'failed', message: error.message });
        },
      );
      return { started: true };
    },
    cancel() {
      training?.cancel();
      return { cancelling: training !== null };
    },
    async status() {
      const running = training !== null || starting;
      return { running, resumable: running ? null : (await findResumableRun(db, home))?.run ?? null };
    },
    async discard() {
      if (training || starting) throw new ContractError('a training run is going: cancel it first');
      const stopped = await findResumableRun(db, home);
      if (stopped) await discardRun(stopped.dir);
      return { discarded: stopped !== null };
    },
  };
}

/**
 * A team catalog's training: the run is a job on the catalog's queue, claimed by a `brainseg worker` (on a GPU box,
 * say); its progress and result reach every workstation through the catalog's change feed. Cancelling cancels the
 * job in the queue; its worker sees that within seconds and stops its training run (nothing is registered).
 */
function createQueuedTraining(queue: WorkstationQueue): TrainingSession {
  const contractError = (error: unknown) => (error instanceof ContractError ? error : new ContractError((error as Error).message));
  const team = () => queue.get().catch((error) => {
    throw contractError(error);
  });
  return {
    async start(request) {
      try {
        await (await team()).enqueueTraining({ request });
      } catch (error) {
        throw contractError(error);
      }
      return { started: true };
    },
    cancel: async () => ({ cancelling: (await (await team()).cancelTraining()) > 0 }),
    // A team's runs live on its workers, which resume their own; a workstation has none to offer.
    status: async () => ({ running: (await (await team()).trainingJobs()) > 0, resumable: null }),
    discard: async () => ({ discarded: false }),
  };
}
