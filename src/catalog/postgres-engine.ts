import { createRequire } from 'node:module';
import { Kysely, PostgresDialect } from 'kysely';
import type Pg from 'pg';
import type { CatalogSchema } from './schema.js';

const INT8_OID = 20;

/**
 * Connects to a PostgreSQL catalog. The URL says who connects (each person with their own role: the database does
 * the authentication), where (a host, or a Unix socket folder as `?host=/path`) and whether TLS is required
 * (`?sslmode=require`). Counts and sums come back as 64-bit integers; the catalog's never come near 2^53, so
 * they are read as numbers, like SQLite's.
 */
export function openPostgresEngine(url: string): Kysely<CatalogSchema> {
  // Loaded here rather than at the top: most runs open a SQLite catalog, and loading pg (as an ES import, which
  // scans its source first) cost every CLI start ~0.1 s of CPU.
  const pg = createRequire(import.meta.url)('pg') as typeof Pg;
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  return new Kysely<CatalogSchema>({ dialect: new PostgresDialect({ pool }) });
}

/** Whether a catalog location names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A catalog location as messages and logs show it: a file's path, or a URL without its password. */
export function describeLocation(location: string): string {
  return isPostgresUrl(location) ? location.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@') : location;
}
