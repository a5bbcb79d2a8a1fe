import type { Migration } from './migration.js';

/**
 * Where a model version came from: `trained` here, or `bundled` with the app (registered as the first version of
 * a data folder, so a new user sees predictions before training anything). A bundled model carries its model
 * card: training patients, config, validation Dice, data source and terms, weights checksum.
 */
export const modelOrigin: Migration = {
  version: 50,
  name: 'model-origin',
  up: `
    ALTER TABLE models ADD COLUMN origin TEXT NOT NULL DEFAULT 'trained' CHECK (origin IN ('trained', 'bundled'));
    ALTER TABLE models ADD COLUMN card_json TEXT;
  `,
};
