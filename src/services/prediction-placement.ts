import type { CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel } from '../catalog/models.js';
import { localModelFile } from '../catalog/stored-files.js';
import type { PredictionRun } from '../contract/index.js';
import type { HomePaths } from '../home.js';
import type { PredictionJob, WorkstationQueue } from '../infrastructure/job-queue.js';
import type { WarmPredictor } from '../compute/warm-predictor.js';

// Where a prediction runs: this workstation's warm predictor (kept loaded with the active model), or a job of the
// team's workers on the catalog's queue when one is connected.
/**
 * Runs a prediction as a job of the team's workers and waits for it (`onQueued` once it is queued); null when
 * there is no team or no worker.
 */
export async function predictAtWorker(teamQueue: WorkstationQueue | null, job: PredictionJob, onQueued: () => void): Promise<PredictionRun | null> {
  const queue = await teamQueue?.get().catch(() => null);
  if (!queue || !(await queue.workersConnected())) return null;
  const id = await queue.enqueuePrediction(job);
  onQueued();
  return queue.predictionResult(id);
}

/** Loads the active model into the warm predictor ahead of the first request; best effort (a request loads it too). */
export async function warmActiveModel(db: CatalogDb, home: HomePaths, predictor: WarmPredictor): Promise<void> {
  try {
    const active = await activeModelId(db);
    const model = active === null ? undefined : await findModel(db, active);
    if (model) predictor.warm(await localModelFile(db, model, home.models));
  } catch {
    // The catalog closed first (a short-lived server): nothing to warm.
  }
}
