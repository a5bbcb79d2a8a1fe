// A new user's first minute: a fresh data folder starts with the shipped bundled model, and opening a patient
// shows its prediction without anyone asking for it. The time from the click to the prediction on screen is
// recorded for the README (a benchmark figure, not asserted).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, chromiumAvailable, sliceCaption, openWorkstation, type OpenWorkstation, storedPredictionCaption } from '../helpers/browser.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { runCliJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import type { BackendsReport } from '../../src/ml/backends/probe.js';

// Three patients: the first opens by itself after the import; the second is clicked as soon as the first shows its
// prediction (its own is then still being made in the background); the third once the background has caught up.
// (Imports go in case-id order, and the UI opens the first.)
const FIRST = 'TCGA_CS_6667_20011105';
const SECOND = 'TCGA_DU_7294_19890104';
const THIRD = 'TCGA_CS_6668_20011025';
const run = chromiumAvailable();

describe.runIf(run)('the first minute with the bundled model', () => {
  let workstation: OpenWorkstation;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    home = tempDir.persistent();
    // An empty override: the shipped bundle, as for a user.
    workstation = await openWorkstation(home, { width: 1440, height: 900 }, { BRAINSEG_BUNDLED_MODEL: '' });
    page = workstation.page;
  });

  afterAll(() => workstation?.close());

  it('opens a patient with the bundled model\'s prediction on screen, unasked', async () => {
    await expect.poll(() => page.locator('[data-model-id="1"]').textContent()).toMatch(/bundled.*active/);
    await page.getByLabel('Folder path').fill(makeSampleSubset(tempDir.persistent(), [FIRST, SECOND, THIRD]));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(new RegExp(`${FIRST}.*prediction: model 1`));

    // Its volume is still queued behind the background (or under way there): the slice on screen is predicted
    // alone first, as a preview, and the volume's stored prediction replaces it.
    const clicked = Date.now();
    await page.locator(`tr[data-case-id="${SECOND}"]`).click();
    // What the caption said, and when, until the stored prediction is drawn.
    const captions: { seconds: number; caption: string }[] = [];
    while (!storedPredictionCaption(1, SECOND).test(captions.at(-1)?.caption ?? '')) {
      expect(Date.now() - clicked).toBeLessThan(120_000);
      const caption = await sliceCaption(page);
      if (caption !== captions.at(-1)?.caption) captions.push({ seconds: (Date.now() - clicked) / 1000, caption });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const shown = captions.find((c) => new RegExp(`${SECOND}.*prediction: model 1`).test(c.caption))!;
    const seconds = shown.seconds;
    const firstShown = /\(preview/.test(shown.caption) ? 'preview' : 'stored';
    const storedSeconds = captions.at(-1)!.seconds;

    // Every imported patient is predicted in the background: once the catalog holds all their predictions, opening
    // the third is a matter of loading its slices.
    const catalog = new Database(path.join(home, 'catalog.sqlite'), { readonly: true });
    const counts = () => catalog.prepare('SELECT (SELECT COUNT(*) FROM slices) AS slices, (SELECT COUNT(*) FROM predictions WHERE model_id = 1) AS predicted').get() as { slices: number; predicted: number };
    await expect.poll(() => { const c = counts(); return c.predicted === c.slices; }, { timeout: 120_000, interval: 250 }).toBe(true);
    catalog.close();
    const clickedThird = Date.now();
    await page.locator(`tr[data-case-id="${THIRD}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 60_000, interval: 20 }).toMatch(storedPredictionCaption(1, THIRD));
    const predictedAhead = (Date.now() - clickedThird) / 1000;
    // The prediction layer is on the stage (what it draws is checked pixel for pixel in overlay-truth.e2e.test.ts).
    await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { Konva: { stages: { findOne(s: string): unknown }[] } }).Konva.stages[0]?.findOne('.prediction')))).toBe(true);
    await page.screenshot({ path: artifactPath('first-view-bundled-prediction.png') });
    writeFileSync(artifactPath('first-view-prediction.json'), JSON.stringify({
      whilePredictedInBackground: { patient: SECOND, secondsFromClickToPrediction: seconds, firstShown, secondsFromClickToStoredPrediction: storedSeconds, captions },
      afterTheBackgroundCaughtUp: { patient: THIRD, secondsFromClickToPrediction: predictedAhead },
    }, null, 2));
  }, 300_000);

  it('says which device predicts and which trains, as the backend that loaded here reports it', async () => {
    // The truth, independently: what `brainseg backends` finds auto picks on this machine.
    const { json: report } = await runCliJson<BackendsReport>(tempDir.persistent(), ['backends', '--json']);
    const auto = report.backends.find((b) => b.name === report.auto)!;
    // The predictor has loaded (the patients above were predicted): both panels name its device.
    await expect.poll(() => page.locator('.compute-device[data-role="prediction"] .device').textContent()).toBe(auto.device);
    await expect.poll(() => page.locator('.compute-device[data-role="training"] .device').textContent()).toBe(auto.device);
    expect(await page.locator('.compute-device[data-role="prediction"]').getAttribute('title')).toContain(auto.name);
  }, 60_000);
});
