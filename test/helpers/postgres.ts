import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { CatalogDb } from '../../src/catalog/db.js';
import { inject } from 'vitest';

/** Whether this run has a PostgreSQL cluster (test/setup/postgres-cluster.ts); team-mode tests skip without one. */
export const postgresAvailable = inject('postgresAdminUrl') !== null;

/**
 * A new, empty database on the test cluster, as a catalog URL. Each test gets its own, so they never see each
 * other's rows; the cluster (and with it every database) is removed after the run.
 */
export async function freshPostgresUrl(): Promise<string> {
  const admin = inject('postgresAdminUrl');
  if (!admin) throw new Error('no PostgreSQL cluster in this run');
  const name = `catalog_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A person of the team: a new login role (named `<name>_<random>`, roles being shared by the cluster's databases) in
 * one of the catalog's groups, created by its owner, and the catalog URL that connects as them.
 */
export async function addTeamMember(owner: CatalogDb, url: string, name: string, group: 'brainseg_annotator' | 'brainseg_reviewer'): Promise<{ role: string; url: string }> {
  const role = `${name}_${randomBytes(3).toString('hex')}`;
  await sql.raw(`CREATE ROLE ${role} LOGIN IN ROLE ${group}`).execute(owner);
  const asRole = new URL(url);
  asRole.username = role;
  return { role, url: asRole.toString() };
}
