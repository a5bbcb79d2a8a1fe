import type { Migration } from './migration.js';

export const createSlices: Migration = {
  version: 20,
  name: 'create-slices',
  up: `
    CREATE TABLE slices (
      id           INTEGER PRIMARY KEY,
      patient_id   INTEGER NOT NULL REFERENCES patients(id),
      number       INTEGER NOT NULL CHECK (number >= 0),
      image_path   TEXT    NOT NULL,
      content_hash TEXT    NOT NULL,
      width        INTEGER NOT NULL CHECK (width > 0),
      height       INTEGER NOT NULL CHECK (height > 0),
      channels     INTEGER NOT NULL CHECK (channels > 0),
      has_lesion   INTEGER NOT NULL CHECK (has_lesion IN (0, 1)),
      UNIQUE (patient_id, number)
    ) STRICT;
  `,
};
