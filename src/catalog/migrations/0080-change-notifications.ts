import { sql } from 'kysely';
import { CHANGE_CHANNEL } from '../change-channel.js';
import type { Migration } from './migration.js';

/**
 * On PostgreSQL, every commit that saves a mask (other than an import's), adds a patient or changes the models
 * notifies the `brainseg_catalog` channel, so each open workstation hears of it within a second (catalog-feed.ts).
 * SQLite has no notifications: its feed polls instead, and this step changes nothing there.
 */
export const changeNotifications: Migration = {
  version: 80,
  name: 'change-notifications',
  async up({ db, dialect }) {
    if (dialect !== 'postgres') return;
    await sql.raw(`
      CREATE FUNCTION brainseg_notify_mask() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object(
          'kind', 'mask', 'versionId', NEW.id, 'sliceId', NEW.slice_id,
          'patientId', (SELECT patient_id FROM slices WHERE id = NEW.slice_id),
          'author', NEW.author, 'source', NEW.source)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER masks_notify AFTER INSERT ON masks FOR EACH ROW WHEN (NEW.source <> 'imported')
        EXECUTE FUNCTION brainseg_notify_mask();

      CREATE FUNCTION brainseg_notify_kind() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object('kind', TG_ARGV[0])::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER patients_notify AFTER INSERT ON patients FOR EACH STATEMENT EXECUTE FUNCTION brainseg_notify_kind('patients');
      CREATE TRIGGER models_notify AFTER INSERT ON models FOR EACH STATEMENT EXECUTE FUNCTION brainseg_notify_kind('models');
      CREATE TRIGGER active_model_notify AFTER INSERT OR UPDATE ON active_model FOR EACH STATEMENT EXECUTE FUNCTION brainseg_notify_kind('models');
    `).execute(db);
  },
};
