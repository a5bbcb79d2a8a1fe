import type { Migration } from './migration.js';

/**
 * The box a click-tool proposal was made inside (issue #29, a box drag as MedSAM prompts): JSON {x, y, width,
 * height} in the slice's pixels, kept with the version beside its clicks. Null for every other version.
 */
export const maskBox: Migration = {
  version: 150,
  name: 'mask-box',
  async up({ db }) {
    await db.schema.alterTable('masks').addColumn('box_json', 'text').execute();
  },
};
