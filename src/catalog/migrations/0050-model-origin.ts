import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Where a model version came from: `trained` here, or `bundled` with the app (registered as the first version of
 * a data folder, so a new user sees predictions before training anything). A bundled model carries its model
 * card: training patients, config, validation Dice, data source and terms, weights checksum.
 */
export const modelOrigin: Migration = {
  version: 50,
  name: 'model-origin',
  async up({ db }) {
    await db.schema
      .alterTable('models')
      .addColumn('origin', 'text', (c) => c.notNull().defaultTo('trained').check(sql`origin IN ('trained', 'bundled')`))
      .execute();
    await db.schema.alterTable('models').addColumn('card_json', 'text').execute();
  },
};
