import { sql } from 'kysely';
import { createTable, idColumn, refuseChange } from './ddl.js';
import type { Migration } from './migration.js';

export const createPatients: Migration = {
  version: 10,
  name: 'create-patients',
  async up(context) {
    await createTable(context, 'patients', (t) =>
      t
        .addColumn('id', 'integer', idColumn(context))
        .addColumn('case_id', 'text', (c) => c.notNull().unique())
        .addColumn('institution', 'text', (c) => c.notNull())
        .addColumn('source_folder', 'text', (c) => c.notNull())
        .addColumn('clinical_json', 'text')
        .addColumn('split', 'text', (c) => c.notNull().check(sql`split IN ('train', 'validation')`))
        .addColumn('created_at', 'text', (c) => c.notNull()),
    );
    // A patient's split is decided once: moving a patient between train and validation would leak validation
    // slices into training.
    await refuseChange(context, {
      name: 'patients_split_is_fixed',
      table: 'patients',
      event: 'UPDATE OF split',
      when: 'NEW.split IS DISTINCT FROM OLD.split',
      message: 'a patient keeps the split it was first assigned',
    });
  },
};
