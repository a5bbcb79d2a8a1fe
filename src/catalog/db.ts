import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

/** An open catalog connection. The process that opens it for writing is the catalog's only writer. */
export type CatalogDb = Database.Database;

/** Raised when the catalog was written by a newer BrainSeg than this one. */
export class NewerCatalogError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `${file} has schema version ${found}, but this BrainSeg understands up to ${supported}. ` +
        'Upgrade BrainSeg to open it; the file was left untouched.',
    );
    this.name = 'NewerCatalogError';
  }
}

/**
 * Opens (creating if needed) a catalog file and brings its schema up to date. `nativeBinding` points
 * better-sqlite3 at a build of its native module for another runtime (the Electron shell's ABI), so the
 * ordinary build keeps serving the CLI and tests.
 */
export function openCatalog(file: string, migrations: readonly Migration[] = MIGRATIONS, options: { nativeBinding?: string } = {}): CatalogDb {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // Check the version before touching anything: switching a newer file to WAL would already modify it.
    refuseNewer(db, file, migrations);
    configure(db);
    migrate(db, file, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: CatalogDb): void {
  // WAL lets readers (the UI) see committed work while a writer runs; FULL sync makes a commit durable
  // before it returns, because a mask edit is a radiologist's work and must survive a power cut.
  // Wait for other processes' locks first: switching to WAL below already needs one.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function supportedVersion(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1]!.version : 0;
}

function refuseNewer(db: CatalogDb, file: string, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > supportedVersion(migrations)) throw new NewerCatalogError(file, current, supportedVersion(migrations));
  return current;
}

/** Applies every pending migration in one transaction, then records the new version. */
export function migrate(db: CatalogDb, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const supported = supportedVersion(migrations);
  if (refuseNewer(db, file, migrations) === supported) return supported;
  // What is pending is decided under the write lock: several processes opening a new catalog at once must not
  // each apply the same migrations (the loser would fail with "table already exists").
  writeTransaction(db, () => {
    const current = refuseNewer(db, file, migrations);
    for (const migration of migrations.filter((m) => m.version > current)) db.exec(migration.up);
    db.pragma(`user_version = ${supported}`);
  });
  return supported;
}

/**
 * Runs `fn` as one write transaction that takes the write lock at BEGIN (IMMEDIATE). Every write goes through
 * here: a deferred transaction reads first and upgrades to a writer later, and in WAL mode that upgrade fails at
 * once with SQLITE_BUSY when another process wrote meanwhile — busy_timeout never gets to wait. Inside another
 * transaction it nests as a savepoint.
 */
export function writeTransaction<T>(db: CatalogDb, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export { LATEST_SCHEMA_VERSION };
