import { sql } from 'kysely';
import { columnType, createTable, idColumn, refuseChange } from './ddl.js';
import type { Migration } from './migration.js';

export const createMasks: Migration = {
  version: 30,
  name: 'create-masks',
  async up(context) {
    await createTable(context, 'masks', (t) =>
      t
        .addColumn('id', 'integer', idColumn(context))
        .addColumn('slice_id', 'integer', (c) => c.notNull().references('slices.id'))
        .addColumn('parent_id', 'integer', (c) => c.references('masks.id'))
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('imported', 'manual') OR source LIKE 'model:%'`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('pixels', 'integer', (c) => c.notNull().check(sql`pixels >= 0`))
        .addColumn('bitmap', columnType(context, 'bytes'), (c) => c.notNull()),
    );
    // The current mask of a slice is its newest version: this index answers that without a scan.
    await context.db.schema.createIndex('masks_by_slice').on('masks').columns(['slice_id', 'id desc']).execute();
    // Mask history is clinical work: a save appends a version; nothing is rewritten or removed.
    await refuseChange(context, {
      name: 'masks_no_update', table: 'masks', event: 'UPDATE',
      message: 'mask versions are append-only: add a new version instead',
    });
    await refuseChange(context, {
      name: 'masks_no_delete', table: 'masks', event: 'DELETE',
      message: 'mask versions are append-only: they cannot be deleted',
    });
  },
};
