import type { CatalogDb } from '../catalog/db.js';
import { modelMaskIds } from '../catalog/models.js';
import { listPatients } from '../catalog/patients.js';
import type { Patient } from '../catalog/types.js';
import type { JobPatient } from './protocol.js';

interface SliceRow {
  id: number;
  number: number;
  image_path: string;
  width: number;
  height: number;
  mask_id: number | null;
  bitmap: Buffer | null;
}

/**
 * Reads what a training or prediction job needs from the catalog, so the trainer process never opens it: every
 * slice with its current mask, and whether that mask changed since `parentModelId` was trained.
 */
export function buildJobPatients(db: CatalogDb, options: { parentModelId?: number | null; patients?: Patient[] } = {}): JobPatient[] {
  const seen = options.parentModelId ? modelMaskIds(db, options.parentModelId) : null;
  const query = db.prepare(
    `SELECT s.id, s.number, s.image_path, s.width, s.height, m.id AS mask_id, m.bitmap
       FROM slices s
       LEFT JOIN masks m ON m.id = (SELECT id FROM masks WHERE slice_id = s.id ORDER BY id DESC LIMIT 1)
      WHERE s.patient_id = ?
      ORDER BY s.number`,
  );
  return (options.patients ?? listPatients(db)).map((patient) => ({
    patientId: patient.id,
    caseId: patient.caseId,
    split: patient.split,
    slices: (query.all(patient.id) as SliceRow[]).map((row) => ({
      sliceId: row.id,
      number: row.number,
      imagePath: row.image_path,
      width: row.width,
      height: row.height,
      mask: row.bitmap ? new Uint8Array(row.bitmap) : null,
      maskVersionId: row.mask_id,
      edited: seen !== null && row.mask_id !== null && !seen.has(row.mask_id),
    })),
  }));
}

/** The current mask version ids of a job: what a model trained on it has seen. */
export function jobMaskIds(patients: readonly JobPatient[]): number[] {
  return patients.flatMap((p) => p.slices.flatMap((s) => (s.maskVersionId === null ? [] : [s.maskVersionId])));
}
