import type { Migration } from './migration.js';
import { createPatients } from './0010-create-patients.js';
import { createSlices } from './0020-create-slices.js';
import { createMasks } from './0030-create-masks.js';
import { createModels } from './0040-create-models.js';
import { modelOrigin } from './0050-model-origin.js';
import { maskProvenance } from './0060-mask-provenance.js';
import { patientSpacing } from './0070-patient-spacing.js';
import { changeNotifications } from './0080-change-notifications.js';
import { teamRoles } from './0090-team-roles.js';
import { storedFiles } from './0100-stored-files.js';
import { sliceReviews } from './0110-slice-reviews.js';
import { patientVolumes } from './0120-patient-volumes.js';
import { maskClicks } from './0130-mask-clicks.js';
import { modelScores } from './0140-model-scores.js';
import { maskBox } from './0150-mask-box.js';

/** Every migration, in the order they apply. */
export const MIGRATIONS: readonly Migration[] = [
  createPatients, createSlices, createMasks, createModels, modelOrigin, maskProvenance, patientSpacing, changeNotifications, teamRoles,
  storedFiles, sliceReviews, patientVolumes, maskClicks, modelScores, maskBox,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
