import { sql } from 'kysely';
import { ANNOTATOR_ROLE, REVIEWER_ROLE } from '../team-roles.js';
import type { Migration } from './migration.js';

/**
 * On PostgreSQL, the team's group roles and what they may do. Each person connects with a login role of their own
 * (the database authenticates them; BrainSeg keeps no passwords), made a member of `brainseg_annotator` or
 * `brainseg_reviewer` by the database's owner (README, "Team mode"). Annotators read everything and append: mask
 * versions (never update or delete them: the triggers refuse that to everyone), imports, predictions, model
 * versions. The migrations themselves run as the owner. SQLite has no roles: this step changes nothing there.
 */
export const teamRoles: Migration = {
  version: 90,
  name: 'team-roles',
  async up({ db, dialect }) {
    if (dialect !== 'postgres') return;
    await sql.raw(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ANNOTATOR_ROLE}') THEN CREATE ROLE ${ANNOTATOR_ROLE} NOLOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${REVIEWER_ROLE}') THEN CREATE ROLE ${REVIEWER_ROLE} NOLOGIN; END IF;
      END $$;
      GRANT ${ANNOTATOR_ROLE} TO ${REVIEWER_ROLE};
      GRANT USAGE ON SCHEMA public TO ${ANNOTATOR_ROLE};
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${ANNOTATOR_ROLE};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${ANNOTATOR_ROLE};
      GRANT INSERT ON patients, slices, masks, predictions, models, model_masks TO ${ANNOTATOR_ROLE};
      GRANT INSERT, UPDATE ON patient_spacing, active_model TO ${ANNOTATOR_ROLE};
      GRANT UPDATE (has_lesion) ON slices TO ${ANNOTATOR_ROLE};
      GRANT UPDATE (created_at, width, height, probabilities) ON predictions TO ${ANNOTATOR_ROLE};
    `).execute(db);
  },
};
