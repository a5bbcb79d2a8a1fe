import path from 'node:path';
import { sql } from 'kysely';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { freshPostgresUrl, postgresAvailable } from './postgres.js';
import { tempDir } from './temp.js';

/** A catalog engine under test: where a new, empty catalog lives, and whether this run can test it. */
export interface CatalogEngine {
  name: 'SQLite' | 'PostgreSQL';
  available: boolean;
  /** A location for a new, empty catalog: a file in a temp folder, or a new database on the test cluster. */
  newLocation(): Promise<string>;
}

/** Both engines, so a suite runs the same tests against each (`for (const engine of CATALOG_ENGINES) describe.skipIf(...)`). */
export const CATALOG_ENGINES: readonly CatalogEngine[] = [
  { name: 'SQLite', available: true, newLocation: async () => path.join(tempDir(), 'catalog.sqlite') },
  { name: 'PostgreSQL', available: postgresAvailable, newLocation: freshPostgresUrl },
];

/** Opens a new, empty catalog on an engine. */
export async function openNewCatalog(engine: CatalogEngine): Promise<{ db: CatalogDb; location: string }> {
  const location = await engine.newLocation();
  return { db: await openCatalog(location), location };
}

/** The engine's own consistency check: SQLite's integrity_check; PostgreSQL checks as it writes, so none. */
export async function integrityProblems(db: CatalogDb, engine: CatalogEngine): Promise<string> {
  if (engine.name !== 'SQLite') return 'ok';
  const { rows } = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
  return rows.map((r) => r.integrity_check).join('; ');
}
