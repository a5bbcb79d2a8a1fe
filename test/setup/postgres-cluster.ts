import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startPostgresCluster } from '../helpers/pg-cluster.mjs';

// Vitest global setup: a throwaway PostgreSQL cluster (test/helpers/pg-cluster.mjs) for the tests that run the
// catalog on PostgreSQL (team mode), stopped and removed after the run. Without PostgreSQL's binaries those tests
// are skipped — except under CI, which installs Debian's `postgresql` and must run them.

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's maintenance database (`postgres`), or null when PostgreSQL is not installed. */
    postgresAdminUrl: string | null;
  }
}

export default function setup(project: TestProject): () => void {
  const bin = findPostgresBinaries();
  if (!bin) {
    if (process.env['CI']) throw new Error('CI must test team mode: install PostgreSQL (apt-get install postgresql) or set BRAINSEG_PG_BIN');
    console.warn('PostgreSQL is not installed: the team-mode (PostgreSQL) tests are skipped. apt-get install postgresql runs them.');
    project.provide('postgresAdminUrl', null);
    return () => undefined;
  }
  const cluster = startPostgresCluster({ bin, durable: false });
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
