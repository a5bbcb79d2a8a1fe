import { sql } from 'kysely';
import { columnType, createTable, idColumn } from './ddl.js';
import type { Migration } from './migration.js';

export const createModels: Migration = {
  version: 40,
  name: 'create-models',
  async up(context) {
    await createTable(context, 'models', (t) =>
      t
        .addColumn('id', 'integer', idColumn(context))
        .addColumn('parent_id', 'integer', (c) => c.references('models.id'))
        .addColumn('preset', 'text', (c) => c.notNull())
        .addColumn('config_json', 'text', (c) => c.notNull())
        .addColumn('metrics_json', 'text', (c) => c.notNull())
        .addColumn('val_dice', columnType(context, 'real'))
        .addColumn('backend', 'text', (c) => c.notNull())
        .addColumn('file', 'text', (c) => c.notNull())
        // 'accepted' versions may be activated; a retrain that scored worse than its parent is kept as 'rejected'.
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('accepted', 'rejected')`))
        .addColumn('created_at', 'text', (c) => c.notNull()),
    );
    // Which mask versions a model trained on: "edited since this model" is a current mask not in this set.
    await createTable(
      context,
      'model_masks',
      (t) =>
        t
          .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id'))
          .addColumn('mask_id', 'integer', (c) => c.notNull().references('masks.id'))
          .addPrimaryKeyConstraint('model_masks_pk', ['model_id', 'mask_id']),
      { withoutRowid: true },
    );
    // One row at most: the model whose predictions the workstation shows. Activating an older one is a rollback.
    await createTable(context, 'active_model', (t) =>
      t
        .addColumn('singleton', 'integer', (c) => c.primaryKey().check(sql`singleton = 1`))
        .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id')),
    );
    await createTable(context, 'predictions', (t) =>
      t
        .addColumn('id', 'integer', idColumn(context))
        .addColumn('slice_id', 'integer', (c) => c.notNull().references('slices.id'))
        .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        // 8-bit probability map (0..255 ↔ 0..1), deflated.
        .addColumn('probabilities', columnType(context, 'bytes'), (c) => c.notNull())
        .addUniqueConstraint('predictions_slice_model', ['slice_id', 'model_id']),
    );
  },
};
