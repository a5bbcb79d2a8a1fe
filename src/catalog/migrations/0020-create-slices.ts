import { sql } from 'kysely';
import { createTable, idColumn } from './ddl.js';
import type { Migration } from './migration.js';

export const createSlices: Migration = {
  version: 20,
  name: 'create-slices',
  async up(context) {
    await createTable(context, 'slices', (t) =>
      t
        .addColumn('id', 'integer', idColumn(context))
        .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
        .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 0`))
        .addColumn('image_path', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull().check(sql`width > 0`))
        .addColumn('height', 'integer', (c) => c.notNull().check(sql`height > 0`))
        .addColumn('channels', 'integer', (c) => c.notNull().check(sql`channels > 0`))
        .addColumn('has_lesion', 'integer', (c) => c.notNull().check(sql`has_lesion IN (0, 1)`))
        .addUniqueConstraint('slices_patient_number', ['patient_id', 'number']),
    );
  },
};
