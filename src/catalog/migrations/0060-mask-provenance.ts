import type { Migration } from './migration.js';

/**
 * What made each mask version and who: the operation (brush, erase, fill, accept, revert, import, …) and the
 * author (the OS user of the process that saved it). Versions saved before this migration have neither.
 */
export const maskProvenance: Migration = {
  version: 60,
  name: 'mask-provenance',
  up: `
    ALTER TABLE masks ADD COLUMN operation TEXT;
    ALTER TABLE masks ADD COLUMN author TEXT;
  `,
};
