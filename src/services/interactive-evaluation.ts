// The host side of `brainseg eval --clicks` (issue #29): picks the automatic and the interactive model, gathers the
// patients with their reference masks, and runs the click protocol in a compute process (src/ml/interactive/).
import type { CatalogDb } from '../catalog/db.js';
import { findPatientByCaseId } from '../catalog/patients.js';
import { listModels, type ModelVersion } from '../catalog/models.js';
import { localModelFile } from '../catalog/stored-files.js';
import type { HomePaths } from '../home.js';
import { encodeMask } from '../imaging/mask-codec.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { DEFAULTS } from '../ml/config.js';
import type { InteractiveEvaluation } from '../ml/interactive/evaluate.js';
import type { JobPatient } from '../ml/jobs.js';
import { startComputeJob } from '../compute/host.js';
import { buildJobPatients } from './job-builder.js';
import { readLabelledFolder } from './labelled-folder.js';
import { resolveModel } from './prediction-pipeline.js';

/** What the click evaluation was asked for. */
export interface ClickEvalRequest {
  /** The automatic model whose masks are the 0-click proposals (default: the active one). */
  modelId?: number;
  /** The interactive model (default: the newest one). */
  interactiveModelId?: number;
  clicks: number[];
  propagate: boolean;
  backend: BackendChoice;
}

/** The click report with the models it used. */
export type ClickEvalReport = InteractiveEvaluation & { model: number; interactiveModel: number };

/** The interactive model asked for, else the newest one; a clear error when there is none. */
export async function resolveInteractiveModel(db: CatalogDb, id: number | undefined): Promise<ModelVersion> {
  const interactive = (await listModels(db)).filter((m) => m.config['kind'] === 'interactive');
  const model = id === undefined ? interactive.sort((a, b) => b.id - a.id)[0] : interactive.find((m) => m.id === id);
  if (!model) {
    throw new Error(id === undefined ? 'there is no interactive model yet: run `brainseg train --interactive` first' : `model ${id} is not an interactive model`);
  }
  return model;
}

/** The catalog's validation patients with their current masks: what an interactive run never trained on. */
export async function validationPatients(db: CatalogDb, home: HomePaths): Promise<JobPatient[]> {
  return (await buildJobPatients(db, { home })).filter((p) => p.split === 'validation' && p.slices.some((s) => s.mask));
}

/** A labelled folder's patients as a job sends them; refused when any is catalogued (a model may have seen it). */
export async function folderPatients(db: CatalogDb, folder: string): Promise<{ patients: JobPatient[]; dispose: () => Promise<void> }> {
  const labelled = await readLabelledFolder(folder);
  try {
    const catalogued: string[] = [];
    for (const p of labelled.patients) if (await findPatientByCaseId(db, p.caseId)) catalogued.push(p.caseId);
    if (catalogued.length) throw new Error(`evaluation data must not be in the catalog, but ${catalogued.join(', ')} ${catalogued.length > 1 ? 'are' : 'is'}`);
    let nextId = 1;
    const patients = labelled.patients.map((p): JobPatient => ({
      patientId: 0, caseId: p.caseId, split: 'validation',
      slices: p.slices.map((s) => ({
        sliceId: nextId++, number: s.number, imagePath: s.imagePath, width: s.width, height: s.height,
        mask: encodeMask(s.mask), maskVersionId: null, edited: false,
      })),
    }));
    return { patients, dispose: () => labelled.dispose() };
  } catch (error) {
    await labelled.dispose();
    throw error;
  }
}

/** Runs the click protocol on `patients` in a compute process. */
export async function evaluateClicks(db: CatalogDb, home: HomePaths, patients: JobPatient[], request: ClickEvalRequest): Promise<ClickEvalReport> {
  if (patients.length === 0) throw new Error('no patients with masks to evaluate');
  const automatic = await resolveModel(db, request.modelId);
  if (automatic.config['kind'] === 'interactive') throw new Error(`model ${automatic.id} is interactive: give the automatic model with --model`);
  const interactive = await resolveInteractiveModel(db, request.interactiveModelId);
  const job = startComputeJob({
    type: 'evaluate-clicks',
    job: {
      backend: request.backend,
      automaticModelFile: await localModelFile(db, automatic, home.models),
      interactiveModelFile: await localModelFile(db, interactive, home.models),
      patients,
      clicks: request.clicks,
      propagate: request.propagate,
      largestComponent: (automatic.config['largestComponent'] as boolean | undefined) ?? DEFAULTS.largestComponent,
      testTimeFlip: (automatic.config['testTimeFlip'] as boolean | undefined) ?? DEFAULTS.testTimeFlip,
    },
  }, () => undefined);
  const end = await job.finished;
  if (end.type !== 'clicks-evaluated') throw new Error('the click evaluation was cancelled');
  return { model: automatic.id, interactiveModel: interactive.id, ...end.evaluation };
}
