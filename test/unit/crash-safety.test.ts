import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listMaskVersions, readMaskBitmap } from '../../src/catalog/masks.js';
import { insertPatient } from '../../src/catalog/patients.js';
import { insertSlice } from '../../src/catalog/slices.js';
import { createRandom } from '../../src/ml/sampling.js';
import { bundledMaskWriter } from '../helpers/bundled-writer.js';
import { CATALOG_ENGINES, integrityProblems, openNewCatalog } from '../helpers/catalog-engines.js';

// Where a kill can land, every save over again: between saves; in the save's transaction (the version row written,
// not committed); in the commit itself (SQLite's WAL frame and its fsync, PostgreSQL's commit record); committed but
// its id not yet printed. The writer does nothing but save, so nearly all its time is in those windows, and a save
// takes a few to tens of milliseconds while the delays span 20–320 ms (many saves): where in a save a kill lands
// is as good as random. KILLS per engine, at delays spread evenly over that span (one seeded draw in each of KILLS
// equal strata, so no stretch goes untested and a failure can be replayed), land in a window that takes a sixth of
// a save with probability 1 − (5/6)^25 ≈ 99 %; the writer marks each save's start, and the test checks that most
// kills did land mid-save. (It once ran 100 kills at unstratified random delays: 4× the time for no window more.)
const KILLS = 25;
const SEED = 2026;

// The writer, started 2 × KILLS times, as one bundled file: most of a start's CPU was loading modules.
let writer: Awaited<ReturnType<typeof bundledMaskWriter>>;
beforeAll(async () => {
  writer = await bundledMaskWriter();
}, 60_000);
afterAll(() => writer?.remove());

/** The kill delays: one seeded draw in each of KILLS equal parts of 20–320 ms. */
function killDelays(): number[] {
  const random = createRandom(SEED);
  return Array.from({ length: KILLS }, (_, i) => 20 + (300 * (i + random())) / KILLS);
}

/**
 * Starts the writer, waits for its first committed version, kills it `delayMs` later, and returns the ids it printed
 * and whether it died inside a save (its last line is the `saving` mark of a save whose id it never printed).
 */
function runAndKill(catalog: string, sliceId: number, delayMs: number): Promise<{ ids: number[]; midSave: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer.file, catalog, String(sliceId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MARK_SAVES: '1' },
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Start the clock once a version has committed (the first id, not the first save's mark).
      if (/^\d+$/m.test(out)) timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      // A line cut by the kill has no newline yet: only complete lines were printed after a commit.
      const lines = out.split('\n').slice(0, -1);
      resolve({ ids: lines.filter((l) => l !== 'saving').map(Number), midSave: lines.at(-1) === 'saving' });
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
    let midSave = 0;
    for (const delay of killDelays()) {
      const killed = await runAndKill(catalog, slice.id, delay);
      printed.push(...killed.ids);
      if (killed.midSave) midSave++;
    }
    console.log(`${engine.name}: ${midSave} of ${KILLS} kills landed inside a save; ${printed.length} versions acknowledged`);
    expect(printed.length).toBeGreaterThan(KILLS);
    // The kills test saves: most landed inside one (between saves there is only the next mask to fill in).
    expect(midSave).toBeGreaterThan(KILLS / 2);

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
