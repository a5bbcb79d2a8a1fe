#!/usr/bin/env node
// Team load: simulated annotators each saving one brush stroke a second into one catalog, through `brainseg serve`
// processes on loopback — the way the page saves (one `masks:save` request per stroke, over the WebSocket).
//
//   PostgreSQL: a throwaway cluster (test/helpers/pg-cluster.mjs, PostgreSQL's default durability), two `serve`
//               processes with their own data folders on it (two workstations), the annotators split between them.
//   SQLite:     one `serve` process, every annotator a client of it (the single-catalog setup).
//
// Each annotator works on slices of its own, and every fifth stroke lands on a slice shared by everyone, so
// saves also meet on one slice (whose versions must stay one chain). Reports save latency (p50/p95/max, ms, as the
// client sees it), and checks that every acknowledged version is in the catalog: zero lost.
//
// Usage: node dist/bench/team-load.js [--annotators 20] [--seconds 60] [--engine postgres|sqlite|both] [--json]
// Needs a build (npm run build) and, for PostgreSQL, Debian's postgresql package.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO as ROOT, SAMPLE_DATA as SAMPLE } from './sample-data.js';
import pg from 'pg';
import { openCatalog } from '../src/catalog/db.js';
import { listMaskVersions } from '../src/catalog/masks.js';
import { listPatients } from '../src/catalog/patients.js';
import { listSlices } from '../src/catalog/slices.js';
import { importPath } from '../src/importer/import.js';
import { connectApi } from '../src/server/api-client.js';
import { pathToFileURL } from 'node:url';

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] ?? fallback : fallback;
};
const ANNOTATORS = Number(option('--annotators', '20'));
const SECONDS = Number(option('--seconds', '60'));
const ENGINES = option('--engine', 'both') === 'both' ? ['postgres', 'sqlite'] : [option('--engine', 'sqlite')];
// dist/bench/ → the repository.
// The test suite's throwaway cluster, loaded from the source tree (it is not compiled into dist/).
const { startPostgresCluster } = (await import(pathToFileURL(path.join(ROOT, 'test/helpers/pg-cluster.mjs')).href)) as typeof import('../test/helpers/pg-cluster.mjs');

interface Server {
  url: string;
  stop(): Promise<unknown>;
}
type Slice = Awaited<ReturnType<typeof listSlices>>[number];
const PATIENT = 'TCGA_HT_7680_19970202';

/** Starts `brainseg serve` on a free port; resolves with its URL once it prints one. */
function serve(home: string, database?: string): Promise<Server> {
  const args = [path.join(ROOT, 'bin/brainseg'), '--home', home, ...(database ? ['--database', database] : []), 'serve', '--port', '0'];
  const child = spawn(process.execPath, args, { env: { ...process.env, BRAINSEG_BUNDLED_MODEL: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Open: (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGINT'); }) });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
}

/** A stroke: a disc at a place that moves with every save, on the slice's whole mask (as the page sends it). */
function stroke(slice: Slice, n: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(slice.width * slice.height);
  const cx = 40 + ((n * 13) % (slice.width - 80));
  const cy = 40 + ((n * 29) % (slice.height - 80));
  for (let y = cy - 8; y <= cy + 8; y++) for (let x = cx - 8; x <= cx + 8; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= 64) data[y * slice.width + x] = 1;
  return data;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function run(engine: string) {
  const work = mkdtempSync(path.join(tmpdir(), 'brainseg-team-'));
  let cluster = null;
  const servers: Server[] = [];
  try {
    let catalog = path.join(work, 'home-0', 'catalog.sqlite');
    if (engine === 'postgres') {
      cluster = startPostgresCluster({ maxConnections: 100 });
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE team');
      await admin.end();
      const url = new URL(cluster.adminUrl);
      url.pathname = '/team';
      catalog = url.toString();
    }
    const db = await openCatalog(catalog);
    await importPath(db, path.join(SAMPLE, PATIENT));
    const slices = await listSlices(db, (await listPatients(db))[0]!.id);
    const workstations = engine === 'postgres' ? 2 : 1;
    for (let i = 0; i < workstations; i++) servers.push(await serve(path.join(work, `home-${i}`), engine === 'postgres' ? catalog : undefined));

    const shared = slices[Math.floor(slices.length / 2)]!;
    const clients = await Promise.all(Array.from({ length: ANNOTATORS }, (_, i) => connectApi(servers[i % workstations]!.url)));
    const latencies: number[] = [];
    const acknowledged = new Map<number, number[]>(); // slice id → version ids acknowledged
    let failures = 0;
    const started = performance.now();
    await Promise.all(clients.map(async (client, a) => {
      const own = slices[a % slices.length]!;
      for (let n = 0; n < SECONDS; n++) {
        // One stroke a second, at a random moment within it, so the annotators do not march in step.
        const due = started + (n + Math.random()) * 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const slice = n % 5 === 4 ? shared : own;
        const sent = performance.now();
        try {
          const saved = await client.request('masks:save', { sliceId: slice.id, width: slice.width, height: slice.height, data: stroke(slice, n + a * 1000), operation: 'brush' });
          latencies.push(performance.now() - sent);
          acknowledged.set(slice.id, [...(acknowledged.get(slice.id) ?? []), saved.version.id]);
        } catch {
          failures++;
        }
      }
    }));
    for (const client of clients) client.close();

    let lost = 0;
    let chainBreaks = 0;
    for (const [sliceId, ids] of acknowledged) {
      const versions = await listMaskVersions(db, sliceId);
      const stored = new Set(versions.map((v) => v.id));
      lost += ids.filter((id) => !stored.has(id)).length;
      const chain = [...versions].reverse();
      for (let i = 1; i < chain.length; i++) if (chain[i]!.parentId !== chain[i - 1]!.id) chainBreaks++;
    }
    await db.destroy();
    const sorted = [...latencies].sort((x, y) => x - y);
    return {
      engine, workstations, annotators: ANNOTATORS, seconds: SECONDS, saves: latencies.length, failures, lost, chainBreaks,
      sharedSliceVersions: acknowledged.get(shared.id)?.length ?? 0,
      latencyMs: { p50: Number(percentile(sorted, 50).toFixed(1)), p95: Number(percentile(sorted, 95).toFixed(1)), max: Number((sorted.at(-1) ?? NaN).toFixed(1)) },
    };
  } finally {
    for (const server of servers) await server.stop();
    cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const results = [];
for (const engine of ENGINES) results.push(await run(engine));
if (process.argv.includes('--json')) console.log(JSON.stringify(results, null, 2));
else {
  console.log('| catalog | serve processes | annotators × seconds | saves | p50 ms | p95 ms | max ms | failed | lost |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} | ${r.workstations} | ${r.annotators} × ${r.seconds} | ${r.saves} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.max} | ${r.failures} | ${r.lost} |`);
  }
}
