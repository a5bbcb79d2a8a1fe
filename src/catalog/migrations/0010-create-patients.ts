import type { Migration } from './migration.js';

export const createPatients: Migration = {
  version: 10,
  name: 'create-patients',
  up: `
    CREATE TABLE patients (
      id            INTEGER PRIMARY KEY,
      case_id       TEXT    NOT NULL UNIQUE,
      institution   TEXT    NOT NULL,
      source_folder TEXT    NOT NULL,
      clinical_json TEXT,
      split         TEXT    NOT NULL CHECK (split IN ('train', 'validation')),
      created_at    TEXT    NOT NULL
    ) STRICT;

    -- A patient's split is decided once: moving a patient between train and validation would leak
    -- validation slices into training.
    CREATE TRIGGER patients_split_is_fixed BEFORE UPDATE OF split ON patients
    WHEN NEW.split IS NOT OLD.split
    BEGIN SELECT RAISE(ABORT, 'a patient keeps the split it was first assigned'); END;
  `,
};
