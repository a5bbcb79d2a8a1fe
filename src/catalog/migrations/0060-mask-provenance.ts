import type { Migration } from './migration.js';

/**
 * What made each mask version and who: the operation (brush, erase, fill, accept, revert, import, …) and the
 * author (the OS user of the process that saved it). Versions saved before this migration have neither.
 */
export const maskProvenance: Migration = {
  version: 60,
  name: 'mask-provenance',
  async up({ db }) {
    await db.schema.alterTable('masks').addColumn('operation', 'text').execute();
    await db.schema.alterTable('masks').addColumn('author', 'text').execute();
  },
};
