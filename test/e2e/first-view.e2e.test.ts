// A new user's first minute: a fresh data folder starts with the shipped bundled model, and opening a patient
// shows its prediction without anyone asking for it. The time from the click to the prediction on screen is
// recorded for the README (a benchmark figure, not asserted).
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, chromiumAvailable, launchChromium, sliceCaption, startServe, type ServeProcess } from '../helpers/browser.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

// Two patients, so the second is opened by a click after the first one's prediction is done.
const FIRST = 'TCGA_CS_6668_20011025';
const SECOND = 'TCGA_DU_7294_19890104';
const run = chromiumAvailable();

describe.runIf(run)('the first minute with the bundled model', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;

  beforeAll(async () => {
    // An empty override: the shipped bundle, as for a user.
    serve = await startServe(tempDir.persistent(), [], { BRAINSEG_BUNDLED_MODEL: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(serve.url);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('opens a patient with the bundled model\'s prediction on screen, unasked', async () => {
    await expect.poll(() => page.locator('[data-model-id="1"]').textContent()).toMatch(/bundled.*active/);
    await page.getByLabel('Folder path').fill(makeSampleSubset(tempDir.persistent(), [FIRST, SECOND]));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(new RegExp(`${FIRST}.*prediction: model 1`));

    const clicked = Date.now();
    await page.locator(`tr[data-case-id="${SECOND}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000, interval: 50 }).toMatch(new RegExp(`${SECOND}.*prediction: model 1`));
    const seconds = (Date.now() - clicked) / 1000;
    // The prediction layer is on the stage (what it draws is checked pixel for pixel in overlay-truth.e2e.test.ts).
    await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { Konva: { stages: { findOne(s: string): unknown }[] } }).Konva.stages[0]?.findOne('.prediction')))).toBe(true);
    await page.screenshot({ path: artifactPath('first-view-bundled-prediction.png') });
    writeFileSync(artifactPath('first-view-prediction.json'), JSON.stringify({ patient: SECOND, secondsFromClickToPrediction: seconds }, null, 2));
  }, 300_000);
});
