import { watchCatalog } from '../catalog/catalog-feed.js';
import { dialectOf, type CatalogDb } from '../catalog/db.js';
import type { HomePaths } from '../home.js';
import { createCatalogService } from '../services/catalog-service.js';
import { createClickService } from '../services/click-service.js';
import { createFolderService } from '../services/folder-service.js';
import { createMaskService } from '../services/mask-service.js';
import { createModelService } from '../services/model-service.js';
import { createPredictionService } from '../services/prediction-service.js';
import { createReviewService } from '../services/review-service.js';
import { patientSliceScores } from '../services/slice-scores.js';
import { createDeviceRegistry } from '../services/device-registry.js';
import { createTrainingSession } from '../services/training-session.js';
import { augmentationPreview } from '../services/augmentation-preview.js';
import { createValidationScoring } from '../services/validation-scoring.js';
import { workstationQueue } from '../infrastructure/job-queue.js';
import { type EventSink, type RequestArgs, type RequestName, type RequestResults, validateRequest } from '../contract/index.js';

type Handlers = { [N in RequestName]: (args: RequestArgs<N>) => Promise<RequestResults[N]> | RequestResults[N] };

/** Binds the contract to the catalog and services of one data folder; the trusted side of every transport. */
export interface ApiService {
  /** Validates and runs one request; a malformed call rejects with a ContractError, never crashes. */
  call(name: unknown, args: unknown): Promise<unknown>;
  /** Stops the processes it started (the warm predictor) and its feed of others' changes. */
  close(): void;
}

/** The contract's requests, each mapped onto a service of the core (src/services); no logic of its own. */
export function createApiService(db: CatalogDb, home: HomePaths, emit: EventSink): ApiService {
  const catalog = createCatalogService(db, home);
  const review = createReviewService(db);
  const masks = createMaskService(db, review);
  const models = createModelService(db);
  // A team catalog's training and predictions are jobs on its queue, run by workers.
  const teamQueue = dialectOf(db) === 'postgres' ? workstationQueue(home.catalog) : null;
  const devices = createDeviceRegistry(emit, teamQueue !== null);
  const predictions = createPredictionService(db, home, emit, teamQueue, devices);
  const clicks = createClickService(db, home, predictions);
  const scoring = createValidationScoring(db, (patientId, modelId) => predictions.ensurePredicted(patientId, modelId), emit);
  const training = createTrainingSession(db, home, predictions, emit, teamQueue, devices);
  // What was imported is predicted in the background, so patients open with their predictions.
  const folders = createFolderService(db, home, emit, (patientIds) => predictions.predictInBackground(patientIds));
  // What other workstations, annotators and workers change in a shared catalog reaches this UI as it happens.
  const feed = watchCatalog(db, home.catalog, (change) => {
    // A team's training runs at a worker: its progress and end arrive here as a local compute process's would.
    if (change.kind === 'training-progress') return emit('training:progress', change.progress);
    if (change.kind === 'training-done') return emit('training:done', change.done);
    if (change.kind === 'prediction-progress') return emit('predictions:progress', change.progress);
    if (change.kind === 'predictions-done') return emit('predictions:done', change.run);
    // A model activated elsewhere is loaded now, so this workstation's first preview with it is not kept waiting.
    if (change.kind === 'models') predictions.warmActiveModel();
    if (change.kind !== 'mask' || !masks.savedHere(change.versionId)) emit('catalog:changed', change);
  }).catch((error: Error) => {
    console.warn(`BrainSeg: others' changes will not show live (${error.message})`);
    return null;
  });

  const handlers: Handlers = {
    'catalog:list-patients': () => catalog.patients(),
    'catalog:set-spacing': ({ patientId, pixelMm, sliceMm }) => catalog.setSpacing(patientId, pixelMm, sliceMm),
    'catalog:list-slices': ({ patientId }) => catalog.slices(patientId),
    'slices:get-image': ({ sliceId }) => catalog.image(sliceId),
    'slices:get-thumbnails': ({ patientId, size }) => catalog.thumbnails(patientId, size),
    'masks:get-current': ({ sliceId }) => masks.current(sliceId),
    'masks:list-versions': ({ sliceId }) => masks.versions(sliceId),
    'masks:get-version': ({ versionId }) => masks.version(versionId),
    'masks:save': (request) => masks.save(request),
    'masks:approve': ({ sliceId }) => masks.approve(sliceId),
    'import:path': ({ path, ...choices }) => folders.importFolder(path, choices),
    'import:scan': ({ path, ...choices }) => folders.scanFolder(path, choices),
    'export:masks': ({ path, ...options }) => folders.exportMasks(path, options),
    'models:list': () => models.list(),
    'models:activate': ({ modelId }) => models.activate(modelId),
    'models:scores': () => scoring.scores(),
    'predictions:get': ({ sliceId, modelId }) => predictions.get(sliceId, modelId),
    'predictions:run': (request) => predictions.run(request),
    'review:rank-slices': ({ patientId, threshold }) => review.ranking(patientId, threshold),
    'review:slice-metrics': ({ patientId, modelId }) => patientSliceScores(db, patientId, modelId),
    'training:start': (request) => training.start(request),
    'training:cancel': () => training.cancel(),
    'training:status': () => training.status(),
    'training:discard': () => training.discard(),
    'system:devices': () => devices.current(),
    'training:augmentation-preview': (request) => augmentationPreview(db, home, request),
    'clicks:propose': ({ sliceId, clicks: points, box }) => clicks.propose(sliceId, points, box),
    'clicks:propagate': ({ sliceId, mask }) => clicks.propagate(sliceId, mask),
  };

  return {
    close: () => {
      predictions.close();
      clicks.close();
      teamQueue?.close();
      void feed.then((f) => f?.close());
    },
    async call(name, args) {
      const request = validateRequest(name, args);
      const handler = handlers[request.name] as (a: unknown) => unknown;
      return handler(request.args);
    },
  };
}
