import { sql } from 'kysely';
import { createTable } from './ddl.js';
import { ANNOTATOR_ROLE } from '../team-roles.js';
import type { Migration } from './migration.js';

/**
 * The geometry and intensity map of a patient imported from volumes (NIfTI, DICOM): the axial grid its slices are
 * on, each source volume's own grid and origin (for export back onto it), and the 8-bit window of each channel in
 * the source's units. One JSON document per patient: it is written once at import and read whole. Patients
 * imported from the LGG TIFFs have no row and work as before; nothing existing changes.
 */
export const patientVolumes: Migration = {
  version: 120,
  name: 'patient-volumes',
  async up(context) {
    await createTable(context, 'patient_volumes', (t) =>
      t
        .addColumn('patient_id', 'integer', (c) => c.primaryKey().references('patients.id'))
        .addColumn('format', 'text', (c) => c.notNull().check(sql`format IN ('nifti', 'dicom')`))
        .addColumn('geometry_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()),
    );
    if (context.dialect !== 'postgres') return;
    await sql.raw(`GRANT SELECT, INSERT ON patient_volumes TO ${ANNOTATOR_ROLE}`).execute(context.db);
  },
};
