// Click to segment (issue #29), the host side: which models, the 0-click proposal (the automatic model's stored
// prediction, computed first when the slice has none), the checks on what the UI sends, and the click engine (a
// compute process with the interactive model loaded; src/compute/warm-clicker.ts) that does the rest.
import type { CatalogDb } from '../catalog/db.js';
import { activeModelId, listModels, type ModelVersion } from '../catalog/models.js';
import { findPatient } from '../catalog/patients.js';
import { findPrediction, predictedMask } from '../catalog/predictions.js';
import { localModelFile } from '../catalog/stored-files.js';
import { ContractError, type ClickProposal, type MaskBox, type MaskClick, type PropagatedMask } from '../contract/index.js';
import type { HomePaths } from '../home.js';
import { boxSeed, clipToBox } from '../ml/interactive/box-prompt.js';
import { MAX_CLICKS_USED } from '../ml/interactive/encoding.js';
import type { JobPatient } from '../ml/jobs.js';
import { WarmClicker } from '../compute/warm-clicker.js';
import { requireSlice } from './catalog-service.js';
import { buildJobPatients } from './job-builder.js';
import type { PredictionService } from './prediction-service.js';

/** Click to segment as the UI asks for it. */
export interface ClickService {
  /** The proposal after the clicks; with a box, inside it only (its seed click first, box-prompt.ts). */
  propose(sliceId: number, clicks: readonly MaskClick[], box?: MaskBox): Promise<ClickProposal>;
  propagate(sliceId: number, mask: Uint8Array): Promise<PropagatedMask[]>;
  /** Stops the click engine. */
  close(): void;
}

/**
 * The interactive model the app uses: the newest one registered (trained here with `brainseg train --interactive`,
 * or shipped). Its lineage is not matched against the active automatic model: any interactive model refines any
 * proposal, and the newest is the best trained one.
 */
export async function newestInteractiveModel(db: CatalogDb): Promise<ModelVersion | null> {
  const interactive = (await listModels(db)).filter((m) => m.config['kind'] === 'interactive');
  return interactive.sort((a, b) => b.id - a.id)[0] ?? null;
}

export function createClickService(db: CatalogDb, home: HomePaths, predictions: PredictionService, clicker = new WarmClicker('auto')): ClickService {
  // The open patient's slices as the engine needs them (paths, sizes): built once per patient, not per click.
  let cached: { patientId: number; patient: Promise<JobPatient> } | null = null;
  const jobPatient = (patientId: number): Promise<JobPatient> => {
    if (cached?.patientId !== patientId) {
      const patient = findPatient(db, patientId).then(async (found) => {
        if (!found) throw new ContractError(`there is no patient ${patientId}`);
        const [job] = await buildJobPatients(db, { patients: [found], home });
        return { ...job!, slices: job!.slices.map((s) => ({ ...s, mask: null })) };
      });
      patient.catch(() => (cached = null));
      cached = { patientId, patient };
    }
    return cached.patient;
  };

  /** The automatic model's mask of the slice (probability ≥ 0.5), predicting the patient first when needed. */
  const automaticMask = async (slice: { id: number; patientId: number }): Promise<{ modelId: number; mask: Uint8Array; probabilities: Uint8Array }> => {
    const modelId = await activeModelId(db);
    if (modelId === null) throw new ContractError('there is no model yet: train one first (click to segment refines its proposal)');
    let prediction = await findPrediction(db, slice.id, modelId);
    if (!prediction) {
      await predictions.run({ patientId: slice.patientId, modelId, ifMissing: true, sliceId: slice.id });
      prediction = await findPrediction(db, slice.id, modelId);
      if (!prediction) throw new Error(`the prediction of slice ${slice.id} by model ${modelId} was not stored`);
    }
    return { modelId, mask: predictedMask(prediction.probabilities), probabilities: prediction.probabilities };
  };

  /**
   * Every slice's automatic mask (null where there is none), which leads propagation's prompts: the patient is
   * predicted first where slices are missing; with no active model, propagation follows the accepted mask alone.
   */
  const automaticMasks = async (patientId: number, patient: JobPatient): Promise<(Uint8Array | null)[]> => {
    const modelId = await activeModelId(db);
    if (modelId === null) return patient.slices.map(() => null);
    const stored = () => Promise.all(patient.slices.map((s) => findPrediction(db, s.sliceId, modelId)));
    let found = await stored();
    if (found.some((p) => !p)) {
      await predictions.run({ patientId, modelId, ifMissing: true });
      found = await stored();
    }
    return found.map((p) => (p ? predictedMask(p.probabilities) : null));
  };

  const interactiveFile = async (): Promise<{ model: ModelVersion; file: string } | null> => {
    const model = await newestInteractiveModel(db);
    return model ? { model, file: await localModelFile(db, model, home.models) } : null;
  };

  return {
    async propose(sliceId, clicks, box) {
      const slice = await requireSlice(db, sliceId);
      const outside = clicks.find((c) => c.x >= slice.width || c.y >= slice.height);
      if (outside) {
        throw new ContractError(`the click at (${outside.x}, ${outside.y}) is outside slice ${slice.number} (${slice.width}×${slice.height} pixels): nothing was changed`);
      }
      if (box && (box.x + box.width > slice.width || box.y + box.height > slice.height)) {
        throw new ContractError(`the box at (${box.x}, ${box.y}), ${box.width}×${box.height}, reaches outside slice ${slice.number} (${slice.width}×${slice.height} pixels): nothing was changed`);
      }
      const automatic = await automaticMask(slice);
      // A box: the automatic mask cut to it is the prompt, and its seed click goes first (box-prompt.ts).
      const proposal = box ? clipToBox(automatic.mask, box, slice.width, slice.height) : automatic.mask;
      const seed = box ? boxSeed(automatic.probabilities, box, slice.width, slice.height) : null;
      const interactive = await interactiveFile();
      const base = { sliceId, width: slice.width, height: slice.height, modelId: automatic.modelId, clicksUsed: 0, box: box ?? null, seed };
      if (!interactive) {
        const notice = clicks.length || box ? 'There is no interactive model yet (brainseg train --interactive): this is the automatic proposal.' : null;
        return { ...base, mask: proposal, interactiveModelId: null, engine: 'ready', notice };
      }
      // The engine starts with the first request of a patient (the click tool chosen), so it is warm for its clicks.
      clicker.start(interactive.file);
      const engine = clicker.loading ? 'loading' : 'ready';
      if (clicks.length === 0 && !seed) return { ...base, mask: proposal, interactiveModelId: null, engine, notice: null };
      const patient = await jobPatient(slice.patientId);
      const sliceIndex = patient.slices.findIndex((s) => s.sliceId === sliceId);
      // Every click goes to the refiner, which keeps to the newest (and a box's seed): a long list then grows by one.
      const room = seed ? MAX_CLICKS_USED - 1 : MAX_CLICKS_USED;
      const used = Math.min(clicks.length, room);
      const sent = seed ? [seed, ...clicks] : clicks;
      const mask = await clicker.refine(interactive.file, { patient, sliceIndex, clicks: sent, proposal, ...(box && { box }) });
      const notice = clicks.length > room
        ? `${clicks.length} clicks on this slice: the proposal follows the newest ${room}. All of them are kept with the mask when you accept it.`
        : null;
      return { ...base, mask, interactiveModelId: interactive.model.id, clicksUsed: used, engine, notice };
    },

    async propagate(sliceId, mask) {
      const slice = await requireSlice(db, sliceId);
      if (mask.length !== slice.width * slice.height) {
        throw new ContractError(`the mask holds ${mask.length} pixels; slice ${slice.number} has ${slice.width}×${slice.height}`);
      }
      const interactive = await interactiveFile();
      if (!interactive) throw new ContractError('there is no interactive model yet: train one with `brainseg train --interactive`');
      const patient = await jobPatient(slice.patientId);
      const sliceIndex = patient.slices.findIndex((s) => s.sliceId === sliceId);
      const binary = mask.map((v) => (v ? 1 : 0));
      const slices = await clicker.propagate(interactive.file, patient, sliceIndex, binary, await automaticMasks(slice.patientId, patient));
      return slices.map(({ sliceIndex: index, mask: m }) => {
        const s = patient.slices[index]!;
        return { sliceId: s.sliceId, width: s.width, height: s.height, mask: m };
      });
    },

    close: () => clicker.close(),
  };
}
