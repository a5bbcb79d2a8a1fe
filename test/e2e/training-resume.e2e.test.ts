import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloads, TrainingProgress } from '../../src/contract/index.js';
import { openCatalog } from '../../src/catalog/db.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { connectApi, type ApiClient } from '../../src/server/api-client.js';
import { chromiumAvailable, launchChromium, startServe, type ServeProcess } from '../helpers/browser.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

// A long training run that stops part-way — the app closed, the machine restarted, or the user cancelled — is not
// lost: the training panel offers to resume it from its last finished epoch, or to discard it. Driven through the
// API (to stop the run at a known epoch) and checked in the page a radiologist sees.

const run = chromiumAvailable();

describe.runIf(run)('a stopped training run, offered to resume (brainseg serve + Chromium)', () => {
  let home: string;
  let serve: ServeProcess;
  let client: ApiClient;
  let page: Page;
  let closeBrowser: () => Promise<void>;
  const progress: TrainingProgress[] = [];
  const done: EventPayloads['training:done'][] = [];

  beforeAll(async () => {
    home = tempDir.persistent();
    const db = await openCatalog(resolveHome(home).catalog);
    await importPath(db, makeSampleSubset(tempDir.persistent(), ['TCGA_CS_6665_20010817', 'TCGA_DU_7294_19890104']));
    await db.destroy();
    // No bundled model: nothing predicts in the background, and the run from scratch is the only training.
    serve = await startServe(home, [], { BRAINSEG_BUNDLED_MODEL: 'none' });
    client = await connectApi(serve.url);
    client.on('training:progress', (p) => progress.push(p));
    client.on('training:done', (d) => done.push(d));
    const browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('dialog', (dialog) => void dialog.accept());
    closeBrowser = () => browser.close();
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    client?.close();
    await serve?.stop();
  });

  const startFromScratch = async (epochs: number) => {
    progress.length = 0;
    await client.request('training:start', { fromScratch: true, preset: 'tiny', epochs });
  };

  /** Lets the run get into its second epoch (the first one's checkpoint is then on disk) and cancels it. */
  const stopInSecondEpoch = async () => {
    await expect.poll(() => progress.some((p) => p.epoch >= 2 && p.phase === 'training'), { timeout: 120_000, interval: 50 }).toBe(true);
    const ended = done.length;
    await client.request('training:cancel', {});
    await expect.poll(() => done.length, { timeout: 60_000 }).toBe(ended + 1);
    expect(done[done.length - 1]).toEqual({ outcome: 'cancelled' });
  };

  const checkpoints = () => readdirSync(path.join(home, 'models')).filter((run) => existsSync(path.join(home, 'models', run, 'checkpoint.bsm')));
  const offer = () => page.getByTestId('resume-offer');

  it('offers nothing before any run, and refuses to resume what is not there', async () => {
    expect(await client.request('training:status', {})).toEqual({ running: false, resumable: null });
    await expect(client.request('training:start', { fromScratch: false, resume: true })).rejects.toThrow(/no stopped training run to resume/);
  });

  it('offers a cancelled run from scratch with its epochs, resumes it from the next epoch when asked in the page', async () => {
    await startFromScratch(60);
    await stopInSecondEpoch();
    const status = await client.request('training:status', {});
    expect(status.running).toBe(false);
    expect(status.resumable).toMatchObject({ parentModelId: null, preset: 'tiny', epochs: 60 });
    const epochsDone = status.resumable!.epochsDone;
    expect(epochsDone).toBeGreaterThanOrEqual(1);

    await page.goto(serve.url);
    await expect.poll(() => offer().textContent(), { timeout: 30_000 }).toMatch(new RegExp(`a tiny model from scratch, started 20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d, ${epochsDone} of 60 epochs done`));
    progress.length = 0;
    await offer().getByRole('button', { name: 'Resume' }).click();
    // It continues after the finished epochs instead of starting again at epoch 1, and the offer goes away.
    await expect.poll(() => progress.length, { timeout: 120_000 }).toBeGreaterThan(0);
    expect(Math.min(...progress.filter((p) => p.phase === 'training').map((p) => p.epoch).concat(Infinity))).toBeGreaterThan(epochsDone);
    expect(await offer().count()).toBe(0);
    expect((await client.request('training:status', {})).running).toBe(true);
    await stopInSecondEpoch(); // stopped again (its progress already counts past epoch 2)
  });

  it('discards a stopped run when asked (after confirming): its checkpoint goes and nothing is offered', async () => {
    await expect.poll(() => offer().count(), { timeout: 30_000 }).toBe(1);
    expect(checkpoints()).toHaveLength(1);
    await offer().getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => offer().count(), { timeout: 10_000 }).toBe(0);
    expect(checkpoints()).toEqual([]);
    expect(await client.request('training:status', {})).toEqual({ running: false, resumable: null });
    expect((await client.request('models:list', {}))).toEqual([]); // the active model (none here) untouched
  });

  it('does not offer an older stopped run once a newer run has finished', async () => {
    await startFromScratch(60);
    await stopInSecondEpoch();
    expect((await client.request('training:status', {})).resumable).not.toBeNull();
    await startFromScratch(1);
    await expect.poll(() => done[done.length - 1]?.outcome, { timeout: 120_000 }).toBe('trained');
    expect((await client.request('training:status', {})).resumable).toBeNull();
  });
});
