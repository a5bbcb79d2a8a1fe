import type { CatalogDb } from '../catalog/db.js';
import { findModel, modelMaskIds } from '../catalog/models.js';
import { listPatients } from '../catalog/patients.js';
import { listSlicesWithCurrentMask } from '../catalog/slices.js';
import { localImageFile } from '../catalog/stored-files.js';
import type { Patient } from '../catalog/types.js';
import { imageCacheDir, type HomePaths } from '../home.js';
import type { JobPatient } from '../ml/jobs.js';

/**
 * Reads what a training or prediction job needs from the catalog, so the compute process never opens it: every
 * slice with its current mask, and whether that mask changed since `parentModelId` was trained. A bundled parent
 * was trained elsewhere on the dataset's own masks, so for it "changed" means any mask that is not the imported
 * one (an edit, an accepted prediction, a revert).
 */
export async function buildJobPatients(
  db: CatalogDb,
  options: { parentModelId?: number | null; patients?: Patient[]; home?: HomePaths } = {},
): Promise<JobPatient[]> {
  const parent = options.parentModelId ? await findModel(db, options.parentModelId) : undefined;
  const seen = parent?.origin === 'trained' ? await modelMaskIds(db, parent.id) : null;
  const changedSince = (maskId: number | null, source: string | null): boolean => {
    if (!parent || maskId === null) return false;
    return seen ? !seen.has(maskId) : source !== 'imported';
  };
  // A team catalog's images are written into this machine's data folder first: the compute process reads files.
  const imageCache = options.home ? imageCacheDir(options.home) : '';
  const patients: JobPatient[] = [];
  for (const patient of options.patients ?? (await listPatients(db))) {
    const slices: JobPatient['slices'] = [];
    for (const slice of await listSlicesWithCurrentMask(db, patient.id)) {
      slices.push({
        sliceId: slice.id,
        number: slice.number,
        imagePath: await localImageFile(db, slice, imageCache),
        width: slice.width,
        height: slice.height,
        mask: slice.maskBitmap ? new Uint8Array(slice.maskBitmap) : null,
        maskVersionId: slice.maskId,
        edited: changedSince(slice.maskId, slice.maskSource),
      });
    }
    patients.push({ patientId: patient.id, caseId: patient.caseId, split: patient.split, slices });
  }
  return patients;
}

/** The current mask version ids of a job: what a model trained on it has seen. */
export function jobMaskIds(patients: readonly JobPatient[]): number[] {
  return patients.flatMap((p) => p.slices.flatMap((s) => (s.maskVersionId === null ? [] : [s.maskVersionId])));
}
