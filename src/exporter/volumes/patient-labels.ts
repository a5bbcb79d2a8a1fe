// A patient's lesion labels as export writes them: the current masks (or the active model's predictions), one
// byte per pixel per slice, in slice order, and who made them (DICOM-SEG's algorithm type).
import type { CatalogDb } from '../../catalog/db.js';
import { currentMaskVersion, readMaskBitmap } from '../../catalog/masks.js';
import { findPrediction } from '../../catalog/predictions.js';
import { listSlices } from '../../catalog/slices.js';
import type { Patient } from '../../catalog/types.js';

export interface PatientLabels {
  /** Slice n's labels at index n − 1, width × height bytes of 0/1. */
  slices: Uint8Array[];
  width: number;
  height: number;
  /** MANUAL: drawn or imported by people; SEMIAUTOMATIC: some slice holds an accepted prediction; AUTOMATIC: predictions. */
  algorithmType: 'MANUAL' | 'SEMIAUTOMATIC' | 'AUTOMATIC';
}

/** Predictions are stored as 8-bit probabilities; the viewer draws the outline at 0.5, export cuts at the same. */
const PREDICTION_THRESHOLD = 128;

/**
 * Reads a patient's labels. With `modelId`, the model's predictions; a slice without one makes the whole export of
 * this patient refuse (a volume with holes would look like "no lesion there").
 */
export async function patientLabels(db: CatalogDb, patient: Patient, modelId: number | null): Promise<PatientLabels> {
  const slices = await listSlices(db, patient.id);
  if (slices.length === 0) throw new Error('the patient has no slices');
  const { width, height } = slices[0]!;
  if (slices.some((s) => s.width !== width || s.height !== height)) throw new Error('its slices differ in size: a volume needs one size');
  slices.forEach((s, i) => {
    if (s.number !== i + 1) throw new Error(`slice numbers are not 1..${slices.length} (slice ${s.number} at position ${i + 1})`);
  });
  const out: Uint8Array[] = [];
  let accepted = false;
  let missing = 0;
  for (const slice of slices) {
    if (modelId !== null) {
      const prediction = await findPrediction(db, slice.id, modelId);
      if (!prediction || prediction.width !== width || prediction.height !== height) {
        missing++;
        continue;
      }
      out.push(prediction.probabilities.map((p) => (p >= PREDICTION_THRESHOLD ? 1 : 0)));
      continue;
    }
    const current = await currentMaskVersion(db, slice.id);
    if (!current) {
      out.push(new Uint8Array(width * height));
      continue;
    }
    if (current.source.startsWith('model:')) accepted = true;
    out.push((await readMaskBitmap(db, current.id)).data.map((v) => (v ? 1 : 0)));
  }
  if (missing > 0) {
    throw new Error(`${missing} of ${slices.length} slices have no prediction by model ${modelId}: predict the patient first ` +
      `(brainseg predict --patient ${patient.caseId})`);
  }
  return { slices: out, width, height, algorithmType: modelId !== null ? 'AUTOMATIC' : accepted ? 'SEMIAUTOMATIC' : 'MANUAL' };
}
