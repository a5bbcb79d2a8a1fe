import type { CatalogDb } from '../catalog/db.js';
import { modelMaskIds } from '../catalog/models.js';
import { listPatients } from '../catalog/patients.js';
import { listSlicesWithCurrentMask } from '../catalog/slices.js';
import type { Patient } from '../catalog/types.js';
import type { JobPatient } from './protocol.js';

/**
 * Reads what a training or prediction job needs from the catalog, so the trainer process never opens it: every
 * slice with its current mask, and whether that mask changed since `parentModelId` was trained.
 */
export function buildJobPatients(db: CatalogDb, options: { parentModelId?: number | null; patients?: Patient[] } = {}): JobPatient[] {
  const seen = options.parentModelId ? modelMaskIds(db, options.parentModelId) : null;
  return (options.patients ?? listPatients(db)).map((patient) => ({
    patientId: patient.id,
    caseId: patient.caseId,
    split: patient.split,
    slices: listSlicesWithCurrentMask(db, patient.id).map((slice) => ({
      sliceId: slice.id,
      number: slice.number,
      imagePath: slice.imagePath,
      width: slice.width,
      height: slice.height,
      mask: slice.maskBitmap ? new Uint8Array(slice.maskBitmap) : null,
      maskVersionId: slice.maskId,
      edited: seen !== null && slice.maskId !== null && !seen.has(slice.maskId),
    })),
  }));
}

/** The current mask version ids of a job: what a model trained on it has seen. */
export function jobMaskIds(patients: readonly JobPatient[]): number[] {
  return patients.flatMap((p) => p.slices.flatMap((s) => (s.maskVersionId === null ? [] : [s.maskVersionId])));
}
