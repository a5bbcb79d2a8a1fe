import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './sample-data.js';

/**
 * The mask writer (`mask-writer.mjs`, over the built core) bundled into one file, for a test that starts it dozens
 * of times: Node spends ~0.3 s of CPU per start linking Kysely's few hundred ES modules one by one, and a fraction
 * of that on one file. The code it runs is the same. It is written under dist/ (beside the core it bundles, one
 * file per test process), where its native SQLite module and the PostgreSQL driver resolve; `remove` deletes it.
 */
export async function bundledMaskWriter(): Promise<{ file: string; remove(): void }> {
  const file = path.join(REPO_ROOT, 'dist/test-helpers', `mask-writer-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(REPO_ROOT, 'test/helpers/mask-writer.mjs')], outfile: file,
    bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3', 'pg'], logLevel: 'warning',
  });
  return { file, remove: () => rmSync(file, { force: true }) };
}
