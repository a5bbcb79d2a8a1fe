import { dialectOf, type CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel } from '../catalog/models.js';
import { ContractError, type EventPayloads, type EventSink, type TrainingStartRequest } from '../api/contract.js';
import type { BackendChoice } from '../ml/backends/select-backend.js';
import { JobQueue } from './job-queue.js';
import type { HomePaths } from '../home.js';
import type { PredictionService } from './prediction-service.js';
import { startTraining, type TrainOutcome, type TrainRequest, type TrainingRun } from './training-service.js';

/** The one training run of a data folder, as the UI drives it. */
export interface TrainingSession {
  start(request: TrainingStartRequest): Promise<{ started: true }>;
  cancel(): { cancelling: boolean };
  status(): Promise<{ running: boolean }>;
  /** Lets go of what it holds (a team catalog's queue connection). */
  close(): void;
}

/** What the trainer is asked for a training request from the UI (or from a team's job queue). */
export function trainRequestFrom({ fromScratch, preset, epochs, minutes }: TrainingStartRequest, backend: BackendChoice = 'auto'): TrainRequest {
  return { config: { ...(preset && { preset }), ...(epochs && { epochs }), ...(minutes && { minutes }) }, fromScratch, backend, resume: false };
}

/** The `training:done` event of a finished run. */
export function doneEvent(outcome: TrainOutcome): EventPayloads['training:done'] {
  return outcome.kind === 'trained'
    ? { outcome: 'trained', modelId: outcome.model.id, valDice: outcome.result.valDice, accepted: outcome.accepted }
    : { outcome: 'cancelled' };
}

/**
 * Starts, cancels and reports training runs (one at a time), and does what follows an accepted run: the patient on
 * screen is predicted by the new model — and by its parent where that prediction is missing, for the "what
 * changed" view — each reported as `predictions:done` with `previousModelId`, so the UI only redraws.
 */
export function createTrainingSession(db: CatalogDb, home: HomePaths, predictions: PredictionService, emit: EventSink): TrainingSession {
  if (dialectOf(db) === 'postgres') return createQueuedTraining(home.catalog);
  let training: TrainingRun | null = null;
  let starting = false;

  const predictAfterRetrain = async (patientId: number, modelId: number, parentId: number | null) => {
    if (parentId !== null && await findModel(db, parentId)) await predictions.run({ patientId, modelId: parentId, ifMissing: true });
    await predictions.run({ patientId, modelId }, { previousModelId: parentId });
  };

  return {
    async start(request) {
      const { fromScratch, patientId } = request;
      // Claimed before the first await: two requests arriving together must not both start a trainer.
      if (training || starting) throw new ContractError('a training run is already going');
      starting = true;
      const parentId = fromScratch ? null : await activeModelId(db);
      let run: TrainingRun;
      try {
        run = await startTraining(db, home, trainRequestFrom(request), (message) => {
          if (message.type === 'progress') emit('training:progress', message.progress);
        });
      } finally {
        starting = false;
      }
      training = run;
      run.outcome.then(
        async (outcome) => {
          emit('training:done', doneEvent(outcome));
          if (outcome.kind === 'trained' && outcome.accepted && patientId !== undefined) {
            await predictAfterRetrain(patientId, outcome.model.id, parentId).catch((error: Error) =>
              emit('predictions:failed', { patientId, message: error.message }));
          }
        },
        (error: Error) => emit('training:done', { outcome: 'failed', message: error.message }),
      ).finally(() => (training = null));
      return { started: true };
    },
    cancel() {
      training?.cancel();
      return { cancelling: training !== null };
    },
    status: async () => ({ running: training !== null }),
    close: () => undefined,
  };
}

/**
 * A team catalog's training: the run is a job on the catalog's queue, claimed by a `brainseg worker` (on a GPU box,
 * say); its progress and result reach every workstation through the catalog's change feed.
 */
function createQueuedTraining(url: string): TrainingSession {
  let queue: Promise<JobQueue> | null = null;
  const open = () => {
    queue ??= JobQueue.open(url, 'workstation').catch((error: Error) => {
      queue = null;
      throw new ContractError(`the team's job queue is not reachable (${error.message}); is a \`brainseg worker\` set up for this catalog?`);
    });
    return queue;
  };
  return {
    async start(request) {
      try {
        await (await open()).enqueueTraining({ request });
      } catch (error) {
        throw error instanceof ContractError ? error : new ContractError((error as Error).message);
      }
      return { started: true };
    },
    // The run belongs to its worker; a workstation cannot cancel it yet (README, "Team mode").
    cancel: () => ({ cancelling: false }),
    status: async () => ({ running: (await (await open()).trainingJobs()) > 0 }),
    close: () => void queue?.then((q) => q.close(), () => undefined),
  };
}
