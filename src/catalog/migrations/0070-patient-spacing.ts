import { sql } from 'kysely';
import { columnType, createTable } from './ddl.js';
import type { Migration } from './migration.js';

/**
 * A patient's voxel size, entered by the radiologist: the LGG TIFFs carry no spacing, so lesion areas and volumes
 * are in pixels until someone says what a pixel and a slice measure.
 */
export const patientSpacing: Migration = {
  version: 70,
  name: 'patient-spacing',
  async up(context) {
    await createTable(context, 'patient_spacing', (t) =>
      t
        .addColumn('patient_id', 'integer', (c) => c.primaryKey().references('patients.id'))
        .addColumn('pixel_mm', columnType(context, 'real'), (c) => c.notNull().check(sql`pixel_mm > 0 AND pixel_mm < 100`))
        .addColumn('slice_mm', columnType(context, 'real'), (c) => c.notNull().check(sql`slice_mm > 0 AND slice_mm < 100`)),
    );
  },
};
