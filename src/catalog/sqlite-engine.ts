import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CatalogSchema } from './schema.js';

/**
 * SQLite's driver with one change: a transaction takes the write lock at BEGIN (IMMEDIATE). A deferred
 * transaction reads first and upgrades to a writer later, and in WAL mode that upgrade fails at once with
 * SQLITE_BUSY when another process wrote meanwhile — busy_timeout never gets to wait. Every catalog
 * transaction is a write, so every one begins immediate.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: Database.Database;
  constructor(database: Database.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

/** The schema version stored in a SQLite catalog file (its `user_version`). */
export function sqliteUserVersion(database: Database.Database): number {
  return database.pragma('user_version', { simple: true }) as number;
}

/**
 * Opens (creating if needed) a SQLite catalog file. `checkVersion` runs on the raw handle before anything is
 * written, so a file from a newer BrainSeg is refused untouched. `nativeBinding` points better-sqlite3 at a build
 * of its native module for another runtime (the Electron shell's ABI).
 */
export function openSqliteEngine(
  file: string,
  checkVersion: (version: number) => void,
  options: { nativeBinding?: string } = {},
): Kysely<CatalogSchema> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // Check the version before touching anything: switching a newer file to WAL would already modify it.
    checkVersion(sqliteUserVersion(database));
    // Wait for other processes' locks first: switching to WAL below already needs one.
    database.pragma('busy_timeout = 5000');
    // WAL lets readers (the UI) see committed work while a writer runs; FULL sync makes a commit durable before
    // it returns, because a mask edit is a radiologist's work and must survive a power cut.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<CatalogSchema>({ dialect: new ImmediateSqliteDialect(database) });
}
