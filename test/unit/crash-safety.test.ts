import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listMaskVersions, readMaskBitmap } from '../../src/catalog/masks.js';
import { insertPatient } from '../../src/catalog/patients.js';
import { insertSlice } from '../../src/catalog/slices.js';
import { createRandom } from '../../src/ml/sampling.js';
import { REPO_ROOT } from '../helpers/sample-data.js';
import { CATALOG_ENGINES, integrityProblems, openNewCatalog } from '../helpers/catalog-engines.js';

// At least 100 kills, at moments drawn from a fixed seed: the same run every time, and a failure can be replayed.
const KILLS = 100;
const SEED = 2026;

/** Starts the writer, waits for it to commit a few versions, kills it at a random moment, returns printed ids. */
function runAndKill(catalog: string, sliceId: number, delayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test/helpers/mask-writer.mjs'), catalog, String(sliceId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs); // start the clock once saving is under way
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${err}`));
      // A line cut by the kill has no newline yet: only complete lines were printed after a commit.
      else resolve(out.split('\n').slice(0, -1).map(Number));
    });
  });
}

for (const engine of CATALOG_ENGINES) describe.skipIf(!engine.available)(`crash safety (${engine.name})`, () => {
  it(`keeps every committed mask version through ${KILLS} SIGKILLs mid-save`, async () => {
    const { db: setup, location: catalog } = await openNewCatalog(engine);
    const patient = await insertPatient(setup, { caseId: 'CRASH_1', institution: 'unknown', sourceFolder: '/x', clinical: null, split: 'train' });
    const slice = await insertSlice(setup, { patientId: patient.id, number: 1, imagePath: '/x/1.tif', contentHash: 'h', width: 256, height: 256, channels: 3, hasLesion: false });
    await setup.destroy();

    const printed: number[] = [];
    const random = createRandom(SEED);
    for (let i = 0; i < KILLS; i++) printed.push(...(await runAndKill(catalog, slice.id, 20 + random() * 300)));
    expect(printed.length).toBeGreaterThan(KILLS);

    const db = await openCatalog(catalog);
    expect(await integrityProblems(db, engine)).toBe('ok');
    const stored = new Set((await listMaskVersions(db, slice.id)).map((v) => v.id));
    const lost = printed.filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    // Every stored version decodes, and the history chain has no holes: each parent is the version before it.
    const versions = (await listMaskVersions(db, slice.id)).reverse();
    for (const [i, v] of versions.entries()) {
      expect((await readMaskBitmap(db, v.id)).data.length).toBe(256 * 256);
      expect(v.parentId).toBe(i === 0 ? null : versions[i - 1]!.id);
    }
    await db.destroy();
  }, 300_000);
});
