import { sql } from 'kysely';
import { CHANGE_CHANNEL } from '../change-channel.js';
import { createTable, idColumn, refuseChange } from './ddl.js';
import { ANNOTATOR_ROLE, REVIEWER_ROLE } from '../team-roles.js';
import type { Migration } from './migration.js';

/**
 * A second reader's approval of a slice's mask: who approved which version, when. An approval holds for that
 * version only — the next edit is unapproved until someone approves it again. Append-only, like mask history. On
 * PostgreSQL only reviewers may approve, and each approval is announced to every workstation.
 */
export const sliceReviews: Migration = {
  version: 110,
  name: 'slice-reviews',
  async up(context) {
    await createTable(context, 'slice_reviews', (t) =>
      t
        .addColumn('id', 'integer', idColumn(context))
        .addColumn('slice_id', 'integer', (c) => c.notNull().references('slices.id'))
        .addColumn('mask_id', 'integer', (c) => c.notNull().references('masks.id'))
        .addColumn('reviewer', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()),
    );
    await context.db.schema.createIndex('slice_reviews_by_slice').on('slice_reviews').columns(['slice_id', 'id desc']).execute();
    await refuseChange(context, { name: 'slice_reviews_no_update', table: 'slice_reviews', event: 'UPDATE', message: 'approvals are append-only' });
    await refuseChange(context, { name: 'slice_reviews_no_delete', table: 'slice_reviews', event: 'DELETE', message: 'approvals are append-only' });
    if (context.dialect !== 'postgres') return;
    await sql.raw(`
      GRANT SELECT ON slice_reviews TO ${ANNOTATOR_ROLE};
      GRANT INSERT ON slice_reviews TO ${REVIEWER_ROLE};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${ANNOTATOR_ROLE};
      CREATE FUNCTION brainseg_notify_review() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object(
          'kind', 'review', 'sliceId', NEW.slice_id,
          'patientId', (SELECT patient_id FROM slices WHERE id = NEW.slice_id), 'reviewer', NEW.reviewer)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER slice_reviews_notify AFTER INSERT ON slice_reviews FOR EACH ROW EXECUTE FUNCTION brainseg_notify_review();
    `).execute(context.db);
  },
};
