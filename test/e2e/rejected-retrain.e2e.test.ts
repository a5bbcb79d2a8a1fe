// A retrain that the gate turned away (validation Dice below its parent's) is kept, not activated — and the
// training panel offers to use it anyway, in one click, even after a reload. The rejected version is registered
// in the catalog directly (a real retrain is rejected or not by chance): it carries the bundled network's weights,
// so after activation the app really predicts the open patient with it, and the caption says which model drew.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir, ensureBundledModel } from '../../src/bundled/bundled-model.js';
import { openCatalog } from '../../src/catalog/db.js';
import { insertModel } from '../../src/catalog/models.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { artifactPath, chromiumAvailable, openWorkstation, sliceCaption, storedPredictionCaption, type OpenWorkstation } from '../helpers/browser.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENT = 'TCGA_CS_6667_20011105';
const run = chromiumAvailable();

describe.runIf(run)('a rejected retrain, used anyway from the training panel', () => {
  let workstation: OpenWorkstation;
  let page: Page;

  beforeAll(async () => {
    const home = resolveHome(tempDir.persistent());
    const db = await openCatalog(home.catalog);
    await importPath(db, makeSampleSubset(tempDir.persistent(), [PATIENT]));
    const bundled = await ensureBundledModel(db, home, bundledModelDir({}));
    if (bundled.kind !== 'registered') throw new Error(`the bundled model did not register: ${JSON.stringify(bundled)}`);
    const file = path.join('run-rejected', 'model.bsm');
    mkdirSync(path.join(home.models, 'run-rejected'), { recursive: true });
    copyFileSync(path.join(home.models, bundled.model.file), path.join(home.models, file));
    await insertModel(db, {
      parentId: bundled.model.id, preset: 'fast', config: bundled.model.config, metrics: {}, valDice: 0.676,
      backend: 'wasm', file, status: 'rejected', maskIds: [],
    }, false);
    await db.destroy();
    // The folder already has its models: nothing more is registered at start.
    workstation = await openWorkstation(home.root, { width: 1280, height: 720 }, { BRAINSEG_BUNDLED_MODEL: 'none' });
    page = workstation.page;
  }, 120_000);

  afterAll(() => workstation?.close());

  const offer = () => page.getByTestId('rejected-offer');

  it('offers the rejected model with its score; one click makes it active and its prediction is drawn', async () => {
    await page.locator(`tr[data-case-id="${PATIENT}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(storedPredictionCaption(1, PATIENT));
    await expect.poll(() => offer().textContent()).toMatch(/Model 2 \(validation Dice 67\.6 %\) scored below its parent, model 1, on the same masks, so it is not active/);
    expect(await page.locator('[data-model-id="2"]').textContent()).toMatch(/rejected/);
    await page.getByRole('region', { name: 'Training' }).screenshot({ path: artifactPath('rejected-retrain-offer.png') });

    await offer().getByRole('button', { name: 'Activate model 2 anyway' }).click();
    // The model never predicted this patient: activating it predicts it, and the slice shows model 2's prediction.
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(storedPredictionCaption(2, PATIENT));
    await expect.poll(() => page.locator('[data-model-id="2"]').textContent()).toMatch(/active/);
    expect(await offer().count()).toBe(0);
  }, 240_000);

  it('does not offer it again after a reload, now that it is active; rolling back is a click in Models', async () => {
    await page.reload();
    await expect.poll(() => page.locator('[data-model-id="2"]').textContent()).toMatch(/active/);
    expect(await offer().count()).toBe(0);
    await page.locator('[data-model-id="1"]').getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => page.locator('[data-model-id="1"]').textContent()).toMatch(/active/);
    // Model 2 is still the newest and rejected, and no longer active: offered again.
    await expect.poll(() => offer().count()).toBe(1);
  }, 120_000);
});
