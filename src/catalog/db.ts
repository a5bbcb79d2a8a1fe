import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
import type { CatalogDialect, Migration } from './migrations/migration.js';
import { describeLocation, isPostgresUrl, openPostgresEngine } from './postgres-engine.js';
import type { CatalogSchema } from './schema.js';
import { openSqliteEngine } from './sqlite-engine.js';

/**
 * An open catalog: a SQLite file (one radiologist, the default) or a PostgreSQL database (a team). Every query
 * is written once with the query builder and runs on either. Close it with `destroy()`.
 */
export type CatalogDb = Kysely<CatalogSchema>;

export type { CatalogDialect };

/** Raised when the catalog was written by a newer BrainSeg than this one. */
export class NewerCatalogError extends Error {
  constructor(location: string, found: number, supported: number) {
    super(
      `${location} has schema version ${found}, but this BrainSeg understands up to ${supported}. ` +
        'Upgrade BrainSeg to open it; the catalog was left untouched.',
    );
    this.name = 'NewerCatalogError';
  }
}

/**
 * Opens a catalog and brings its schema up to date. `location` is a SQLite file (created if needed; `:memory:`
 * for a throwaway one) or a `postgres://` URL. `nativeBinding` points better-sqlite3 at a build of its native
 * module for another runtime (the Electron shell's ABI).
 */
export async function openCatalog(
  location: string,
  migrations: readonly Migration[] = MIGRATIONS,
  options: { nativeBinding?: string } = {},
): Promise<CatalogDb> {
  const shown = describeLocation(location);
  const refuseNewer = (found: number) => {
    if (found > supportedVersion(migrations)) throw new NewerCatalogError(shown, found, supportedVersion(migrations));
  };
  const db = isPostgresUrl(location) ? await openPostgresEngine(location) : openSqliteEngine(location, refuseNewer, options);
  try {
    await migrate(db, shown, migrations);
    return db;
  } catch (error) {
    await db.destroy();
    // A server that is not there, a wrong password, a database that does not exist: say which catalog it was.
    if (isPostgresUrl(location) && !(error instanceof NewerCatalogError) && !(error as Error).message.includes(shown)) {
      throw new Error(`cannot open the catalog at ${shown}: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}

/** Which engine a catalog (or a transaction on it) runs on. */
export function dialectOf(db: CatalogDb): CatalogDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

function supportedVersion(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1]!.version : 0;
}

/**
 * Applies every pending migration in one transaction, then records the new version. What is pending is decided
 * under a lock: several processes opening a new catalog at once must not each apply the same migrations.
 */
export async function migrate(db: CatalogDb, location: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const supported = supportedVersion(migrations);
  const dialect = dialectOf(db);
  return writeTransaction(db, async (trx) => {
    const current = await lockSchema(trx, dialect);
    if (current > supported) throw new NewerCatalogError(location, current, supported);
    if (current === supported) return supported;
    try {
      for (const migration of migrations.filter((m) => m.version > current)) await migration.up({ db: trx, dialect });
    } catch (error) {
      if (!isPermissionDenied(error)) throw error;
      throw new Error(
        `${location} is at schema version ${current} and this BrainSeg needs ${supported}, but your database role may not ` +
          'change the schema. Ask the database\'s owner to open it once with this BrainSeg (e.g. `brainseg --database <owner URL> info`).',
        { cause: error },
      );
    }
    await recordSchemaVersion(trx, dialect, supported);
    return supported;
  });
}

/**
 * Takes the schema lock for this transaction and reads the version. SQLite's write lock is already held (BEGIN
 * IMMEDIATE) and the version is the file's user_version; PostgreSQL keeps it in a one-row table, guarded by an
 * advisory lock.
 */
async function lockSchema(trx: CatalogDb, dialect: CatalogDialect): Promise<number> {
  if (dialect === 'sqlite') return schemaVersion(trx);
  await sql`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`.execute(trx);
  // Created only if missing: an annotator's role may read the catalog but not create tables in it.
  const { rows: exists } = await sql<{ table: string | null }>`SELECT to_regclass('brainseg_schema')::text AS table`.execute(trx);
  if (exists[0]?.table === null) {
    await sql`CREATE TABLE brainseg_schema (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL)`.execute(trx);
    await sql`GRANT SELECT ON brainseg_schema TO PUBLIC`.execute(trx);
  }
  return schemaVersion(trx);
}

async function recordSchemaVersion(trx: CatalogDb, dialect: CatalogDialect, version: number): Promise<void> {
  if (dialect === 'sqlite') {
    await sql.raw(`PRAGMA user_version = ${Math.trunc(version)}`).execute(trx);
    return;
  }
  await sql`INSERT INTO brainseg_schema (singleton, version) VALUES (1, ${version})
      ON CONFLICT (singleton) DO UPDATE SET version = excluded.version`.execute(trx);
}

/** Whether PostgreSQL refused something to the connected role (SQLSTATE 42501, "permission denied"). */
export function isPermissionDenied(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '42501';
}

/** Any fixed number: every BrainSeg process that migrates a PostgreSQL catalog takes this advisory lock. */
const SCHEMA_LOCK_KEY = 72_451;

/** The schema version a catalog is at. */
export async function schemaVersion(db: CatalogDb): Promise<number> {
  if (dialectOf(db) === 'sqlite') {
    const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return rows[0]?.user_version ?? 0;
  }
  const { rows } = await sql<{ version: number }>`SELECT version FROM brainseg_schema`.execute(db);
  return rows[0]?.version ?? 0;
}

/**
 * Runs `fn` as one write transaction; every write goes through here. On SQLite it takes the write lock at BEGIN
 * (see sqlite-engine.ts); on PostgreSQL writers of the same rows wait for each other's row locks. Inside another
 * transaction it simply joins it.
 */
export async function writeTransaction<T>(db: CatalogDb, fn: (trx: CatalogDb) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

/**
 * Inside a write transaction, waits for every other writer that serializes on the same `topic` (e.g. "the
 * models table") and holds them off until this transaction ends. SQLite needs nothing (the transaction already
 * holds the file's write lock); PostgreSQL takes a transaction-scoped advisory lock.
 */
export async function serializeWriters(trx: CatalogDb, topic: string): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${`brainseg:${topic}`}))`.execute(trx);
}

export { LATEST_SCHEMA_VERSION };
