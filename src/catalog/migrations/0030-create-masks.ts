import type { Migration } from './migration.js';

export const createMasks: Migration = {
  version: 30,
  name: 'create-masks',
  up: `
    CREATE TABLE masks (
      id         INTEGER PRIMARY KEY,
      slice_id   INTEGER NOT NULL REFERENCES slices(id),
      parent_id  INTEGER REFERENCES masks(id),
      source     TEXT    NOT NULL CHECK (source IN ('imported', 'manual') OR source LIKE 'model:%'),
      created_at TEXT    NOT NULL,
      pixels     INTEGER NOT NULL CHECK (pixels >= 0),
      bitmap     BLOB    NOT NULL
    ) STRICT;

    -- The current mask of a slice is its newest version: this index answers that without a scan.
    CREATE INDEX masks_by_slice ON masks (slice_id, id DESC);

    -- Mask history is clinical work: a save appends a version; nothing is rewritten or removed.
    CREATE TRIGGER masks_no_update BEFORE UPDATE ON masks
    BEGIN SELECT RAISE(ABORT, 'mask versions are append-only: add a new version instead'); END;
    CREATE TRIGGER masks_no_delete BEFORE DELETE ON masks
    BEGIN SELECT RAISE(ABORT, 'mask versions are append-only: they cannot be deleted'); END;
  `,
};
