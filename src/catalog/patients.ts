import type { PatientSpacing, PatientSummary } from '../api/contract.js';
import type { CatalogDb } from './db.js';
import type { DbPatient } from './rows.js';
import type { Patient, Split } from './types.js';

/** What the importer knows about a patient before it is in the catalog. */
export interface NewPatient {
  caseId: string;
  institution: string;
  sourceFolder: string;
  clinical: Record<string, string> | null;
  split: Split;
}

export type { PatientSpacing, PatientSummary };

function toPatient(row: DbPatient): Patient {
  return {
    id: row.id,
    caseId: row.case_id,
    institution: row.institution,
    sourceFolder: row.source_folder,
    clinical: row.clinical_json ? (JSON.parse(row.clinical_json) as Record<string, string>) : null,
    split: row.split,
    createdAt: row.created_at,
  };
}

export function findPatientByCaseId(db: CatalogDb, caseId: string): Patient | undefined {
  const row = db.prepare('SELECT * FROM patients WHERE case_id = ?').get(caseId) as DbPatient | undefined;
  return row && toPatient(row);
}

export function listPatients(db: CatalogDb): Patient[] {
  return (db.prepare('SELECT * FROM patients ORDER BY case_id').all() as DbPatient[]).map(toPatient);
}

export function insertPatient(db: CatalogDb, patient: NewPatient, now = new Date()): Patient {
  const row = db
    .prepare(
      `INSERT INTO patients (case_id, institution, source_folder, clinical_json, split, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      patient.caseId,
      patient.institution,
      patient.sourceFolder,
      patient.clinical ? JSON.stringify(patient.clinical) : null,
      patient.split,
      now.toISOString(),
    ) as DbPatient;
  return toPatient(row);
}

/** How many patients sit on each side of the split. */
export function countSplits(db: CatalogDb): Record<Split, number> {
  const rows = db.prepare('SELECT split, COUNT(*) AS n FROM patients GROUP BY split').all() as {
    split: Split;
    n: number;
  }[];
  const counts: Record<Split, number> = { train: 0, validation: 0 };
  for (const row of rows) counts[row.split] = row.n;
  return counts;
}

export function summarizePatients(db: CatalogDb): PatientSummary[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.case_id AS caseId, p.split,
              COUNT(s.id) AS slices,
              COALESCE(SUM(s.has_lesion), 0) AS lesionSlices,
              COUNT(DISTINCT e.slice_id) AS editedSlices,
              sp.pixel_mm AS pixelMm, sp.slice_mm AS sliceMm
         FROM patients p
         LEFT JOIN slices s ON s.patient_id = p.id
         LEFT JOIN (SELECT DISTINCT slice_id FROM masks WHERE source = 'manual') e ON e.slice_id = s.id
         LEFT JOIN patient_spacing sp ON sp.patient_id = p.id
        GROUP BY p.id
        ORDER BY p.case_id`,
    )
    .all() as (Omit<PatientSummary, 'spacing'> & { pixelMm: number | null; sliceMm: number | null })[];
  return rows.map(({ pixelMm, sliceMm, ...rest }) => ({ ...rest, spacing: pixelMm !== null && sliceMm !== null ? { pixelMm, sliceMm } : null }));
}

/** Records (or replaces) a patient's voxel size. */
export function setPatientSpacing(db: CatalogDb, patientId: number, spacing: PatientSpacing): void {
  db.prepare(
    `INSERT INTO patient_spacing (patient_id, pixel_mm, slice_mm) VALUES (?, ?, ?)
     ON CONFLICT (patient_id) DO UPDATE SET pixel_mm = excluded.pixel_mm, slice_mm = excluded.slice_mm`,
  ).run(patientId, spacing.pixelMm, spacing.sliceMm);
}
