import { columnType, createTable } from './ddl.js';
import { ANNOTATOR_ROLE } from '../team-roles.js';
import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * In a team catalog (PostgreSQL) the files every workstation needs live in the database, not on one machine's disk:
 * slice images, once per content hash (the same TIFF imported twice is stored once), and each model version's
 * weights. A workstation writes them into its data folder when it first needs them (catalog/stored-files.ts). A
 * SQLite catalog is one machine's and keeps pointing at the files where they were imported from: no tables here.
 */
export const storedFiles: Migration = {
  version: 100,
  name: 'stored-files',
  async up(context) {
    if (context.dialect !== 'postgres') return;
    await createTable(context, 'images', (t) =>
      t.addColumn('content_hash', 'text', (c) => c.primaryKey()).addColumn('bytes', columnType(context, 'bytes'), (c) => c.notNull()),
    );
    await createTable(context, 'model_files', (t) =>
      t
        .addColumn('model_id', 'integer', (c) => c.primaryKey().references('models.id'))
        .addColumn('bytes', columnType(context, 'bytes'), (c) => c.notNull()),
    );
    await sql.raw(`GRANT SELECT, INSERT ON images, model_files TO ${ANNOTATOR_ROLE}`).execute(context.db);
  },
};
