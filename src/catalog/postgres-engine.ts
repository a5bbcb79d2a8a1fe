import { Kysely, PostgresDialect } from 'kysely';
import type { CatalogSchema } from './schema.js';

const INT8_OID = 20;

/**
 * Connects to a PostgreSQL catalog. The URL says who connects (each person with their own role: the database does
 * the authentication), where (a host, or a Unix socket folder as `?host=/path`) and whether TLS is required
 * (`?sslmode=require`). Counts and sums come back as 64-bit integers; the catalog's never come near 2^53, so
 * they are read as numbers, like SQLite's. The driver is loaded here, not when this module is: most processes open
 * a SQLite catalog, and each of them (every CLI run, every catalog writer) would spend ~0.1 s of CPU loading it.
 */
export async function openPostgresEngine(url: string): Promise<Kysely<CatalogSchema>> {
  const { default: pg } = await import('pg');
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
