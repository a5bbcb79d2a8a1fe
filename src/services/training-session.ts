import type { CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel } from '../catalog/models.js';
import { ContractError, type EventSink, type TrainingStartRequest } from '../api/contract.js';
import type { HomePaths } from '../home.js';
import type { PredictionService } from './prediction-service.js';
import { startTraining, type TrainingRun } from './training-service.js';

/** The one training run of a data folder, as the UI drives it. */
export interface TrainingSession {
  start(request: TrainingStartRequest): Promise<{ started: true }>;
  cancel(): { cancelling: boolean };
  status(): { running: boolean };
}

/**
 * Starts, cancels and reports training runs (one at a time), and does what follows an accepted run: the patient on
 * screen is predicted by the new model — and by its parent where that prediction is missing, for the "what
 * changed" view — each reported as `predictions:done` with `previousModelId`, so the UI only redraws.
 */
export function createTrainingSession(db: CatalogDb, home: HomePaths, predictions: PredictionService, emit: EventSink): TrainingSession {
  let training: TrainingRun | null = null;
  let starting = false;

  const predictAfterRetrain = async (patientId: number, modelId: number, parentId: number | null) => {
    if (parentId !== null && await findModel(db, parentId)) await predictions.run({ patientId, modelId: parentId, ifMissing: true });
    await predictions.run({ patientId, modelId }, { previousModelId: parentId });
  };

  return {
    async start({ fromScratch, preset, epochs, minutes, patientId }) {
      // Claimed before the first await: two requests arriving together must not both start a trainer.
      if (training || starting) throw new ContractError('a training run is already going');
      starting = true;
      const parentId = fromScratch ? null : await activeModelId(db);
      let run: TrainingRun;
      try {
        run = await startTraining(db, home, {
          config: { ...(preset && { preset }), ...(epochs && { epochs }), ...(minutes && { minutes }) },
          fromScratch, backend: 'auto', resume: false,
        }, (message) => {
          if (message.type === 'progress') emit('training:progress', message.progress);
        });
      } finally {
        starting = false;
      }
      training = run;
      run.outcome.then(
        async (outcome) => {
          if (outcome.kind !== 'trained') return emit('training:done', { outcome: 'cancelled' });
          emit('training:done', { outcome: 'trained', modelId: outcome.model.id, valDice: outcome.result.valDice, accepted: outcome.accepted });
          if (outcome.accepted && patientId !== undefined) {
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
    status: () => ({ running: training !== null }),
  };
}
