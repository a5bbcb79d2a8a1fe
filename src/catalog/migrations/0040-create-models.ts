import type { Migration } from './migration.js';

export const createModels: Migration = {
  version: 40,
  name: 'create-models',
  up: `
    CREATE TABLE models (
      id           INTEGER PRIMARY KEY,
      parent_id    INTEGER REFERENCES models(id),
      preset       TEXT    NOT NULL,
      config_json  TEXT    NOT NULL,
      metrics_json TEXT    NOT NULL,
      val_dice     REAL,
      backend      TEXT    NOT NULL,
      file         TEXT    NOT NULL,
      -- 'accepted' versions may be activated; a retrain that scored worse than its parent is kept as 'rejected'.
      status       TEXT    NOT NULL CHECK (status IN ('accepted', 'rejected')),
      created_at   TEXT    NOT NULL
    ) STRICT;

    -- Which mask versions a model trained on: "edited since this model" is a current mask not in this set.
    CREATE TABLE model_masks (
      model_id INTEGER NOT NULL REFERENCES models(id),
      mask_id  INTEGER NOT NULL REFERENCES masks(id),
      PRIMARY KEY (model_id, mask_id)
    ) STRICT, WITHOUT ROWID;

    -- One row at most: the model whose predictions the workstation shows. Activating an older one is a rollback.
    CREATE TABLE active_model (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      model_id  INTEGER NOT NULL REFERENCES models(id)
    ) STRICT;

    CREATE TABLE predictions (
      id            INTEGER PRIMARY KEY,
      slice_id      INTEGER NOT NULL REFERENCES slices(id),
      model_id      INTEGER NOT NULL REFERENCES models(id),
      created_at    TEXT    NOT NULL,
      width         INTEGER NOT NULL,
      height        INTEGER NOT NULL,
      -- 8-bit probability map (0..255 ↔ 0..1), deflated.
      probabilities BLOB    NOT NULL,
      UNIQUE (slice_id, model_id)
    ) STRICT;
  `,
};
