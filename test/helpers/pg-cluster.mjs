// A throwaway PostgreSQL cluster for the team-mode tests and the team load benchmark: a temp folder, a Unix socket
// in it (no TCP port), trust authentication for local connections, removed when stopped. Needs Debian's
// `postgresql` package (its binaries under /usr/lib/postgresql/<version>/bin, or BRAINSEG_PG_BIN). As root the
// server runs as the `postgres` user, since PostgreSQL refuses to run as root.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/** The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function findPostgresBinaries() {
  if (process.env.BRAINSEG_PG_BIN) return process.env.BRAINSEG_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function runPg(bin, program, args) {
  const command = path.join(bin, program);
  if (userInfo().uid === 0) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
  else execFileSync(command, args, { stdio: 'pipe' });
}

/**
 * Starts a cluster and returns its maintenance database's URL and a stop function. `durable: false` turns fsync off
 * (tests: a crashed test cluster is thrown away); the benchmark keeps PostgreSQL's defaults, so its commits are as
 * durable as a real server's.
 */
export function startPostgresCluster({ bin = findPostgresBinaries(), durable = true, maxConnections = 200 } = {}) {
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql), or set BRAINSEG_PG_BIN');
  const dir = mkdtempSync(path.join(tmpdir(), 'brainseg-pg-'));
  if (userInfo().uid === 0) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres']).toString());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = path.join(dir, 'data');
  runPg(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const settings = `-k ${dir} -c listen_addresses='' -c max_connections=${maxConnections}${durable ? '' : ' -c fsync=off'}`;
  runPg(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', settings, 'start']);
  return {
    adminUrl: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`,
    stop() {
      try {
        runPg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
