import type { CatalogDb } from '../catalog/db.js';
import { readCurrentMask } from '../catalog/masks.js';
import { activeModelId, findModel } from '../catalog/models.js';
import { findPatient } from '../catalog/patients.js';
import { findPrediction } from '../catalog/predictions.js';
import { listSlices } from '../catalog/slices.js';
import { ContractError, type PatientSliceScores, type SliceScore } from '../contract/index.js';
import { sliceMetrics } from '../ml/slice-metrics.js';

/**
 * Each slice's Dice and BCE of a model's stored prediction against the slice's current mask, read fresh from the
 * catalog (an edit a moment ago counts), and the patient's volume Dice once every slice is predicted: the same
 * figure `brainseg eval` gives a patient, here against the masks as they are now.
 */
export async function patientSliceScores(db: CatalogDb, patientId: number, modelId?: number): Promise<PatientSliceScores> {
  if (!(await findPatient(db, patientId))) throw new ContractError(`there is no patient ${patientId}`);
  const model = modelId ?? await activeModelId(db);
  const slices = await listSlices(db, patientId);
  if (model === null) return { modelId: null, slices: [], totalSlices: slices.length, volumeDice: null };
  if (!(await findModel(db, model))) throw new ContractError(`there is no model ${model}`);
  const scores: SliceScore[] = [];
  let overlap = 0;
  let foreground = 0;
  for (const slice of slices) {
    const prediction = await findPrediction(db, slice.id, model);
    if (!prediction) continue;
    const mask = await readCurrentMask(db, slice.id, slice.width, slice.height);
    const m = sliceMetrics(prediction.probabilities, mask.data);
    overlap += m.overlapPixels;
    foreground += m.predictedPixels + m.maskPixels;
    scores.push({ sliceId: slice.id, number: slice.number, dice: m.dice, bce: m.bce });
  }
  const complete = scores.length === slices.length && slices.length > 0;
  // Two empty volumes agree perfectly, as metrics.dice (and so `brainseg eval`) counts them.
  const volumeDice = complete ? (foreground === 0 ? 1 : (2 * overlap) / foreground) : null;
  return { modelId: model, slices: scores, totalSlices: slices.length, volumeDice };
}
