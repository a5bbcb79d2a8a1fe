import { sql } from 'kysely';
import { columnType, createTable } from './ddl.js';
import { ANNOTATOR_ROLE } from '../team-roles.js';
import type { Migration } from './migration.js';

/**
 * A model's score on this data folder's validation patients (issue #31 item 4), kept so it is computed once: per
 * model and validation set, the set named by a hash of its slices' current mask versions. An edit to a validation
 * mask, or a patient moved into validation, names a new set and so a new score; the old row stays, still true of
 * the set it names. `patients_json` holds each patient's case id and per-volume Dice.
 */
export const modelScores: Migration = {
  version: 140,
  name: 'model-scores',
  async up(context) {
    await createTable(context, 'model_scores', (t) =>
      t
        .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id'))
        .addColumn('validation_key', 'text', (c) => c.notNull())
        .addColumn('dice', columnType(context, 'real'), (c) => c.notNull())
        .addColumn('patients_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_scores_pk', ['model_id', 'validation_key']),
    { withoutRowid: true });
    if (context.dialect !== 'postgres') return;
    await sql.raw(`GRANT SELECT, INSERT ON model_scores TO ${ANNOTATOR_ROLE}`).execute(context.db);
  },
};
