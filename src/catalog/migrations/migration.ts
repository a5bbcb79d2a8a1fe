import type { Kysely } from 'kysely';

/** The two engines a catalog can live in. */
export type CatalogDialect = 'sqlite' | 'postgres';

/** What a migration step works with: the transaction it runs in and the engine it is written for. */
export interface MigrationContext {
  // The schema as it is before this step, so untyped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>;
  dialect: CatalogDialect;
}

/**
 * One schema step, written once with the schema builder for both engines (./ddl.ts holds the few places they
 * differ). Versions go in steps of 10 so a fix can slot in between two released migrations.
 */
export interface Migration {
  version: number;
  name: string;
  up(context: MigrationContext): Promise<void>;
}
