import type { Migration } from './migration.js';

/**
 * The clicks a mask version was made from (issue #29, click to segment): a JSON array of {x, y, positive} in
 * the slice's pixels, kept with the version as its provenance. Null for every other operation.
 */
export const maskClicks: Migration = {
  version: 130,
  name: 'mask-clicks',
  async up({ db }) {
    await db.schema.alterTable('masks').addColumn('clicks_json', 'text').execute();
  },
};
