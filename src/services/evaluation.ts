import type { CatalogDb } from '../catalog/db.js';
import { findPatientByCaseId } from '../catalog/patients.js';
import { predictedMask } from '../catalog/predictions.js';
import type { HomePaths } from '../home.js';
import { encodeMask } from '../imaging/mask-codec.js';
import type { SkippedFile } from '../importer/scan.js';
import { readLabelledFolder, type LabelledFolder } from './labelled-folder.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { summarize } from '../ml/metrics.js';
import { scorePatient, type PatientScores } from '../ml/patient-scores.js';
import { predictPatients, resolveModel } from './prediction-pipeline.js';
import type { JobPatient } from '../ml/jobs.js';

/** `brainseg eval` output (names fixed: scripts depend on them; mean, median and patients[].dice never change). */
export interface EvaluationReport {
  model: number;
  mean: number;
  median: number;
  patients: ({ id: string } & PatientScores)[];
  /** Mean of the patients' per-slice Dice on lesion slices; false alarms over all lesion-free slices. */
  lesionSliceDice: number | null;
  falsePositiveSlices: number;
  lesionFreeSlices: number;
  /** Mean of |predicted − true| / true lesion volume over patients with a lesion. */
  meanAbsoluteVolumeError: number | null;
  skipped: SkippedFile[];
}

/**
 * Scores a model on a labelled folder in the import layout that is not in the catalog: per-volume Dice, as Buda
 * et al. report it (each patient's slices stacked, thresholded at 0.5, largest component kept if the model's
 * config says so). Catalogued patients are refused, since a model may have trained on them.
 */
export async function evaluateFolder(
  db: CatalogDb,
  home: HomePaths,
  folder: string,
  options: { modelId?: number; backend: BackendChoice },
): Promise<EvaluationReport> {
  const model = await resolveModel(db, options.modelId);
  const labelled = await readLabelledFolder(folder);
  try {
    return await scoreFolder(db, home, model, folder, labelled, options.backend);
  } finally {
    await labelled.dispose();
  }
}

async function scoreFolder(
  db: CatalogDb,
  home: HomePaths,
  model: Awaited<ReturnType<typeof resolveModel>>,
  folder: string,
  labelled: LabelledFolder,
  backend: BackendChoice,
): Promise<EvaluationReport> {
  const catalogued: string[] = [];
  for (const patient of labelled.patients) if (await findPatientByCaseId(db, patient.caseId)) catalogued.push(patient.caseId);
  if (catalogued.length) {
    throw new Error(`evaluation data must not be in the catalog, but ${catalogued.join(', ')} ${catalogued.length > 1 ? 'are' : 'is'}`);
  }
  const skipped = [...labelled.skipped];
  const truth = new Map<number, Uint8Array>();
  const patients: JobPatient[] = [];
  let nextId = 1;
  for (const labelledPatient of labelled.patients) {
    const slices: JobPatient['slices'] = labelledPatient.slices.map((read) => {
      const sliceId = nextId++;
      truth.set(sliceId, read.mask.data);
      return {
        sliceId, number: read.number, imagePath: read.imagePath, width: read.width, height: read.height,
        mask: encodeMask(read.mask), maskVersionId: null, edited: false,
      };
    });
    patients.push({ patientId: 0, caseId: labelledPatient.caseId, split: 'validation', slices });
  }
  if (patients.length === 0) throw new Error(`no labelled slices found in ${folder}`);

  const predicted = new Map<number, Uint8Array>();
  await predictPatients(db, home, model, patients, backend, (p) => predicted.set(p.sliceId, p.probabilities));
  const scores = patients.map((patient) => {
    // (The stored map is already reduced to the largest lesion.)
    const mine = patient.slices.map((slice) => predictedMask(predicted.get(slice.sliceId)!));
    const theirs = patient.slices.map((slice) => truth.get(slice.sliceId)!);
    return { id: patient.caseId, ...scorePatient(mine, theirs) };
  });
  const { mean, median } = summarize(scores.map((s) => s.dice));
  const sliceDice = scores.flatMap((s) => (s.lesionSliceDice === null ? [] : [s.lesionSliceDice]));
  const volumeErrors = scores.flatMap((s) => (s.volumeError === null ? [] : [Math.abs(s.volumeError)]));
  return {
    model: model.id, mean, median, patients: scores,
    lesionSliceDice: sliceDice.length ? summarize(sliceDice).mean : null,
    falsePositiveSlices: scores.reduce((n, s) => n + s.falsePositiveSlices, 0),
    lesionFreeSlices: scores.reduce((n, s) => n + s.lesionFreeSlices, 0),
    meanAbsoluteVolumeError: volumeErrors.length ? summarize(volumeErrors).mean : null,
    skipped,
  };
}
