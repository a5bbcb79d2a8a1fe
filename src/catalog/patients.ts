import { sql, type Selectable } from 'kysely';
import type { PatientSpacing, PatientSummary } from '../contract/index.js';
import { currentVersionIdOf } from './current-version.js';
import type { CatalogDb } from './db.js';
import { listPatientGeometries, scanInfoOf } from './patient-volumes.js';
import type { PatientsTable } from './schema.js';
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

function toPatient(row: Selectable<PatientsTable>): Patient {
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

export async function findPatient(db: CatalogDb, id: number): Promise<Patient | undefined> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPatient(row);
}

export async function findPatientByCaseId(db: CatalogDb, caseId: string): Promise<Patient | undefined> {
  const row = await db.selectFrom('patients').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return row && toPatient(row);
}

export async function listPatients(db: CatalogDb): Promise<Patient[]> {
  return (await db.selectFrom('patients').selectAll().orderBy('case_id').execute()).map(toPatient);
}

export async function insertPatient(db: CatalogDb, patient: NewPatient, now = new Date()): Promise<Patient> {
  const row = await db
    .insertInto('patients')
    .values({
      case_id: patient.caseId,
      institution: patient.institution,
      source_folder: patient.sourceFolder,
      clinical_json: patient.clinical ? JSON.stringify(patient.clinical) : null,
      split: patient.split,
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPatient(row);
}

/** How many patients sit on each side of the split. */
export async function countSplits(db: CatalogDb): Promise<Record<Split, number>> {
  const rows = await db.selectFrom('patients').select(['split', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('split').execute();
  const counts: Record<Split, number> = { train: 0, validation: 0 };
  for (const row of rows) counts[row.split] = Number(row.n);
  return counts;
}

export async function summarizePatients(db: CatalogDb): Promise<PatientSummary[]> {
  const rows = await db
    .selectFrom('patients as p')
    .leftJoin('slices as s', 's.patient_id', 'p.id')
    .leftJoin(
      (eb) => eb.selectFrom('masks').select('slice_id').distinct().where('source', '=', 'manual').as('e'),
      (join) => join.onRef('e.slice_id', '=', 's.id'),
    )
    .leftJoin(
      // Slices whose current (newest) mask version has an approval.
      (eb) =>
        eb
          .selectFrom('slice_reviews as r')
          .select('r.slice_id')
          .distinct()
          .where('r.mask_id', '=', (e) => currentVersionIdOf(e.ref('r.slice_id')))
          .as('a'),
      (join) => join.onRef('a.slice_id', '=', 's.id'),
    )
    .leftJoin('patient_spacing as sp', 'sp.patient_id', 'p.id')
    .select((eb) => [
      'p.id',
      'p.case_id as caseId',
      'p.split',
      eb.fn.count<number>('s.id').as('slices'),
      sql<number>`COALESCE(SUM(s.has_lesion), 0)`.as('lesionSlices'),
      eb.fn.count<number>('e.slice_id').distinct().as('editedSlices'),
      eb.fn.count<number>('a.slice_id').distinct().as('approvedSlices'),
      'sp.pixel_mm as pixelMm',
      'sp.slice_mm as sliceMm',
    ])
    .groupBy(['p.id', 'p.case_id', 'p.split', 'sp.pixel_mm', 'sp.slice_mm'])
    .orderBy('p.case_id')
    .execute();
  const geometries = await listPatientGeometries(db);
  return rows.map(({ pixelMm, sliceMm, slices, lesionSlices, editedSlices, approvedSlices, ...rest }) => ({
    ...rest,
    slices: Number(slices),
    lesionSlices: Number(lesionSlices),
    editedSlices: Number(editedSlices),
    approvedSlices: Number(approvedSlices),
    spacing: pixelMm !== null && sliceMm !== null ? { pixelMm, sliceMm } : null,
    scan: scanInfoOf(geometries.get(rest.id)),
  }));
}

/** Records (or replaces) a patient's voxel size. */
export async function setPatientSpacing(db: CatalogDb, patientId: number, spacing: PatientSpacing): Promise<void> {
  await db
    .insertInto('patient_spacing')
    .values({ patient_id: patientId, pixel_mm: spacing.pixelMm, slice_mm: spacing.sliceMm })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet((eb) => ({ pixel_mm: eb.ref('excluded.pixel_mm'), slice_mm: eb.ref('excluded.slice_mm') })))
    .execute();
}

/** A patient's voxel size, if known. */
export async function patientSpacingOf(db: CatalogDb, patientId: number): Promise<PatientSpacing | null> {
  const row = await db.selectFrom('patient_spacing').select(['pixel_mm', 'slice_mm']).where('patient_id', '=', patientId).executeTakeFirst();
  return row ? { pixelMm: row.pixel_mm, sliceMm: row.slice_mm } : null;
}
