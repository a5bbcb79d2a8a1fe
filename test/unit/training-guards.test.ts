// One training per catalog, and a registered run is never reopened: the races of the hardening report.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiService } from '../../src/server/handlers.js';
import { openCatalog } from '../../src/catalog/db.js';
import { insertModel } from '../../src/catalog/models.js';
import { resolveHome, ensureHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { findInterruptedRun } from '../../src/services/training-service.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

describe('training guards', () => {
  it('two training:start calls at once: one run starts, the other is refused', async () => {
    const home = ensureHome(resolveHome(tempDir()));
    const db = await openCatalog(home.catalog);
    await importPath(db, makeSampleSubset(tempDir(), ['TCGA_CS_6665_20010817', 'TCGA_HT_7680_19970202']));
    const events: string[] = [];
    let finished: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const api = createApiService(db, home, (event) => {
      events.push(event);
      if (event === 'training:done') finished();
    });
    const args = { fromScratch: true, preset: 'tiny', epochs: 1 };
    const [a, b] = await Promise.allSettled([api.call('training:start', args), api.call('training:start', args)]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(((a.status === 'rejected' ? a : b) as PromiseRejectedResult).reason.message).toMatch(/already going/);
    await api.call('training:cancel', {});
    await done;
    await db.destroy();
  }, 120_000);

  it('a run whose model is registered is not resumable, even if its done.json was never written', async () => {
    const home = ensureHome(resolveHome(tempDir()));
    const db = await openCatalog(home.catalog);
    const run = path.join(home.models, 'run-20260101-000000Z-1');
    mkdirSync(run);
    writeFileSync(path.join(run, 'checkpoint.bsm'), 'x');
    expect(await findInterruptedRun(db, home)).toBe(run);
    await insertModel(db, {
      parentId: null, preset: 'tiny', config: {}, metrics: {}, valDice: null, backend: 'wasm',
      file: path.join('run-20260101-000000Z-1', 'best.bsm'), status: 'accepted', maskIds: [],
    }, true);
    expect(await findInterruptedRun(db, home)).toBeNull();
    await db.destroy();
  });
});
