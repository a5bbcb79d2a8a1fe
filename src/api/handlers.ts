import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { CatalogDb } from '../catalog/db.js';
import { currentMaskPixels, currentMaskVersion, editedSliceIds, findMaskVersion, listMaskVersions, readCurrentMask, readMaskBitmap, saveMaskVersion } from '../catalog/masks.js';
import { activeModelId, findModel, listModels, setActiveModel } from '../catalog/models.js';
import { listPatients, summarizePatients, setPatientSpacing } from '../catalog/patients.js';
import { countPredictions, findPrediction } from '../catalog/predictions.js';
import { findSliceById, listSlices } from '../catalog/slices.js';
import type { Slice } from '../catalog/types.js';
import type { HomePaths } from '../home.js';
import { exportPatients } from '../exporter/export.js';
import { decodeImage } from '../imaging/decode.js';
import { makeThumbnail } from '../imaging/thumbnail.js';
import { importPath } from '../importer/import.js';
import { rankSlices, reviewSlice } from '../review/rank-slices.js';
import { predictAndStore } from '../trainer/prediction-service.js';
import { startTraining, type TrainingRun } from '../trainer/training-service.js';
import { ContractError, type EventName, type EventPayloads, type RequestName, type RequestResults, type RequestArgs, validateRequest } from './contract.js';

type Handlers = { [N in RequestName]: (args: RequestArgs<N>) => Promise<RequestResults[N]> | RequestResults[N] };

/** Binds the contract to the catalog and services of one data folder; the trusted side of every transport. */
export interface ApiService {
  /** Validates and runs one request; a malformed call rejects with a ContractError, never crashes. */
  call(name: unknown, args: unknown): Promise<unknown>;
}

export function createApiService(db: CatalogDb, home: HomePaths, emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void): ApiService {
  let training: TrainingRun | null = null;
  let startingTraining = false;
  const requireSlice = (sliceId: number): Slice => {
    const slice = findSliceById(db, sliceId);
    if (!slice) throw new ContractError(`there is no slice ${sliceId}`);
    return slice;
  };
  const models = () =>
    listModels(db).map((m) => ({ id: m.id, parentId: m.parentId, preset: m.preset, valDice: m.valDice, status: m.status, active: m.active, createdAt: m.createdAt, origin: m.origin }));

  const handlers: Handlers = {
    'catalog:list-patients': () => summarizePatients(db),
    'catalog:set-spacing': ({ patientId, pixelMm, sliceMm }) => {
      if (!listPatients(db).some((p) => p.id === patientId)) throw new ContractError(`there is no patient ${patientId}`);
      setPatientSpacing(db, patientId, { pixelMm, sliceMm });
      return summarizePatients(db);
    },
    'catalog:list-slices': ({ patientId }) => {
      const edited = editedSliceIds(db, patientId);
      const areas = currentMaskPixels(db, patientId);
      return listSlices(db, patientId).map((slice) => ({ ...slice, edited: edited.has(slice.id), lesionPixels: areas.get(slice.id) ?? 0 }));
    },
    'slices:get-image': async ({ sliceId }) => {
      const slice = requireSlice(sliceId);
      const bytes = await readFile(slice.imagePath).catch((error: NodeJS.ErrnoException) => {
        throw new ContractError(`cannot read slice ${slice.number}'s image ${slice.imagePath}: ${error.code ?? error.message}`);
      });
      return decodeImage(bytes);
    },
    'slices:get-thumbnails': async ({ patientId, size }) => {
      const thumbnails = [];
      // One at a time: sharp already uses the cores, and a patient has at most a few hundred slices.
      for (const slice of listSlices(db, patientId)) {
        const thumbnail = await makeThumbnail(slice.imagePath, size).catch(() => ({ width: size, height: size, data: new Uint8Array(size * size) }));
        thumbnails.push({ sliceId: slice.id, ...thumbnail });
      }
      return thumbnails;
    },
    'masks:get-current': ({ sliceId }) => {
      const slice = requireSlice(sliceId);
      const mask = readCurrentMask(db, slice.id, slice.width, slice.height);
      return { versionId: currentMaskVersion(db, slice.id)?.id ?? null, ...mask };
    },
    'masks:list-versions': ({ sliceId }) => listMaskVersions(db, requireSlice(sliceId).id),
    'masks:get-version': ({ versionId }) => {
      if (!findMaskVersion(db, versionId)) throw new ContractError(`there is no mask version ${versionId}`);
      return { versionId, ...readMaskBitmap(db, versionId) };
    },
    'masks:save': ({ sliceId, width, height, data, operation, acceptedModelId }) => {
      const slice = requireSlice(sliceId);
      if (width !== slice.width || height !== slice.height) {
        throw new ContractError(`mask is ${width}×${height} but slice ${sliceId} is ${slice.width}×${slice.height}`);
      }
      if (acceptedModelId !== undefined && !findModel(db, acceptedModelId)) throw new ContractError(`there is no model ${acceptedModelId}`);
      // An accepted prediction is the model's mask, adopted by the radiologist: its own source, naming the model.
      const source = acceptedModelId !== undefined ? (`model:${acceptedModelId}` as const) : 'manual';
      return saveMaskVersion(db, slice.id, { width, height, data: data.map((v) => (v ? 1 : 0)) }, source, { operation });
    },
    'import:path': ({ path: folder }) => {
      // The path is typed in a browser that may not run where the server does: a relative one would silently
      // resolve against wherever `brainseg serve` happened to start.
      if (!path.isAbsolute(folder)) throw new Error(`give the folder's full path (starting with /), not "${folder}"`);
      return importPath(db, folder, { onProgress: (p) => emit('import:progress', p) });
    },
    'export:masks': ({ path: folder, caseId, overwriteOriginals }) => {
      if (!path.isAbsolute(folder)) throw new Error(`give the folder's full path (starting with /), not "${folder}"`);
      return exportPatients(db, folder, { caseId, overwriteOriginals });
    },
    'models:list': () => models(),
    'models:activate': ({ modelId }) => {
      setActiveModel(db, modelId);
      return models();
    },
    'predictions:get': ({ sliceId, modelId }) => {
      const model = modelId ?? activeModelId(db);
      if (model === null) return null;
      const prediction = findPrediction(db, requireSlice(sliceId).id, model);
      return prediction ? { modelId: model, width: prediction.width, height: prediction.height, data: prediction.probabilities } : null;
    },
    'predictions:run': async ({ patientId, modelId, ifMissing }) => {
      const patient = listPatients(db).find((p) => p.id === patientId);
      if (!patient) throw new ContractError(`there is no patient ${patientId}`);
      if (ifMissing) {
        // A whole patient or nothing: the largest-lesion step works on the volume, so a partial run would differ.
        const model = modelId ?? activeModelId(db);
        if (model === null) throw new ContractError('there is no model yet: train one first');
        if (countPredictions(db, patientId, model) >= listSlices(db, patientId).length) return { modelId: model, slices: 0, seconds: 0 };
      }
      const { model, slices, seconds } = await predictAndStore(db, home, { patients: [patient], ...(modelId && { modelId }), backend: 'auto' },
        (done, total) => emit('predictions:progress', { patientId, done, total }));
      return { modelId: model.id, slices, seconds };
    },
    'review:rank-slices': ({ patientId, threshold }) => {
      const model = activeModelId(db);
      if (model === null) return { modelId: null, slices: [] };
      const reviews = listSlices(db, patientId).flatMap((slice) => {
        const prediction = findPrediction(db, slice.id, model);
        if (!prediction) return [];
        const mask = readCurrentMask(db, slice.id, slice.width, slice.height);
        return [reviewSlice(slice.id, mask.data, prediction.probabilities, threshold)];
      });
      return { modelId: model, slices: rankSlices(reviews) };
    },
    'training:start': async ({ fromScratch, preset, epochs, minutes }) => {
      // Claimed before the first await: two requests arriving together must not both start a trainer.
      if (training || startingTraining) throw new ContractError('a training run is already going');
      startingTraining = true;
      let run: TrainingRun;
      try {
        run = await startTraining(db, home, {
          config: { ...(preset && { preset }), ...(epochs && { epochs }), ...(minutes && { minutes }) },
          fromScratch, backend: 'auto', resume: false,
        }, (message) => {
          if (message.type === 'progress') emit('training:progress', message.progress);
        });
      } finally {
        startingTraining = false;
      }
      training = run;
      run.outcome.then(
        (outcome) => emit('training:done', outcome.kind === 'trained'
          ? { outcome: 'trained', modelId: outcome.model.id, valDice: outcome.result.valDice, accepted: outcome.accepted }
          : { outcome: 'cancelled' }),
        (error: Error) => emit('training:done', { outcome: 'failed', message: error.message }),
      ).finally(() => (training = null));
      return { started: true };
    },
    'training:cancel': () => {
      training?.cancel();
      return { cancelling: training !== null };
    },
    'training:status': () => ({ running: training !== null }),
  };

  return {
    async call(name, args) {
      const request = validateRequest(name, args);
      const handler = handlers[request.name] as (a: unknown) => unknown;
      return handler(request.args);
    },
  };
}
