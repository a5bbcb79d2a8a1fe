// The viewer end to end: `brainseg serve` + headless Debian Chromium, driven like a radiologist would.
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, chromiumAvailable, countViewerColour, launchChromium, shownSliceNumber, sliceCaption, startServe, type ServeProcess, storedPredictionCaption } from '../helpers/browser.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';
import { COLORS } from '../../src/editing/overlays.js';
import { colouredPixels, readDrawnLayer } from '../helpers/drawn-overlay.js';

const PATIENTS = ['TCGA_CS_6665_20010817', 'TCGA_HT_7680_19970202'];
const run = chromiumAvailable();

describe.runIf(run)('the viewer in a browser (brainseg serve + Chromium)', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const home = tempDir.persistent();
    serve = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(serve.url);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('imports two patients through the path field and lists them with their counts', async () => {
    const dataset = makeSampleSubset(tempDir.persistent(), PATIENTS);
    await page.getByLabel('Folder path').fill(dataset);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 30_000 }).toMatch(/Imported 2 new patients, 45 slices/);
    // The status line comes first, the refreshed patient list a moment later.
    for (const caseId of PATIENTS) await expect.poll(() => page.locator(`tr[data-case-id="${caseId}"]`).count()).toBe(1);
    // TCGA_HT_7680: 21 slices, 3 with a lesion (SOURCE.md's counts).
    expect(await page.locator('tr[data-case-id="TCGA_HT_7680_19970202"] td').nth(1).textContent()).toBe('21');
    expect(await page.locator('tr[data-case-id="TCGA_HT_7680_19970202"] td').nth(2).textContent()).toBe('3');
    // The first imported patient opens on its first lesion slice, with the mask drawn.
    await page.waitForSelector('[data-shown-slice]');
    expect(await sliceCaption(page)).toMatch(/TCGA_CS_6665_20010817 · slice \d+ of 24 · lesion/);
    expect(await countViewerColour(page, COLORS.mask)).toBeGreaterThan(20);
    await page.screenshot({ path: artifactPath('viewer-imported.png') });
  });

  it('picks a patient and steps through slices with the keyboard, each shown within a frame or two', async () => {
    await page.locator('tr[data-case-id="TCGA_HT_7680_19970202"]').click();
    await expect.poll(() => sliceCaption(page)).toMatch(/TCGA_HT_7680_19970202 · slice \d+ of 21/);
    await expect.poll(() => page.locator('.strip-item').count()).toBe(21);
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    const start = await shownSliceNumber(page);
    const latencies: number[] = [];
    const key = start + 8 <= 21 ? 'ArrowDown' : 'ArrowUp';
    for (let i = 1; i <= 8; i++) {
      const previous = await page.getByTestId('viewer').getAttribute('data-shown-slice');
      const latency = await page.evaluate((key) => new Promise<number>((resolve) => {
        const pressed = performance.now();
        window.addEventListener('brainseg:slice-shown', (e) => resolve((e as CustomEvent<{ at: number }>).detail.at - pressed), { once: true });
        window.dispatchEvent(new KeyboardEvent('keydown', { key }));
      }), key);
      latencies.push(latency);
      expect(await page.getByTestId('viewer').getAttribute('data-shown-slice')).not.toBe(previous);
    }
    const end = await shownSliceNumber(page);
    expect(Math.abs(end - start)).toBe(8);
    // Recorded for the README/issue note; the target (≤ 50 ms) is a benchmark figure, not a pass/fail here.
    writeFileSync(artifactPath('slice-switch-latency.json'), JSON.stringify({ latenciesMs: latencies }, null, 2));
    await page.screenshot({ path: artifactPath('viewer-stepped.png') });
  });

  it('toggles the mask and difference overlays with their keys', async () => {
    await page.locator('tr[data-case-id="TCGA_CS_6665_20010817"]').click();
    await expect.poll(() => sliceCaption(page)).toMatch(/TCGA_CS_6665_20010817 · slice \d+ of 24 · lesion/);
    await expect.poll(() => countViewerColour(page, COLORS.mask)).toBeGreaterThan(20);
    await page.keyboard.press('m');
    await expect.poll(() => page.getByLabel('Mask overlay').isChecked()).toBe(false);
    await expect.poll(() => countViewerColour(page, COLORS.mask)).toBe(0);
    await page.keyboard.press('m');
    await expect.poll(() => countViewerColour(page, COLORS.mask)).toBeGreaterThan(20);
    await page.keyboard.press('2'); // FLAIR
    await page.keyboard.press('4'); // RGB composite
    await expect.poll(() => page.getByLabel('Channel').inputValue()).toBe('rgb');
    await page.keyboard.press('2');
  });

  it('trains a tiny model from the training panel, shows progress to the end, then its predictions', async () => {
    await page.locator('.from-scratch summary').click();
    await page.getByLabel('Preset').selectOption('tiny');
    await page.getByLabel('Epochs').fill('2');
    // Long tasks (> 50 ms on the page's main thread) while the run goes: recorded for the README, not asserted.
    await page.evaluate(() => {
      const longTasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = longTasks;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    page.once('dialog', (dialog) => void dialog.accept()); // training from scratch asks first
    await page.getByRole('button', { name: 'Train from scratch' }).click();
    await expect.poll(() => page.getByTestId('training-status').textContent(), { timeout: 60_000 }).toMatch(/^training · step \d+ of \d+ · epoch \d\/2 · /);
    await page.screenshot({ path: artifactPath('training-running.png') });
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp', 'ArrowUp']) await page.keyboard.press(key); // browse while it trains
    await expect.poll(() => page.getByTestId('training-message').textContent().catch(() => ''), { timeout: 240_000 }).toMatch(/Model 1 trained: validation Dice .*now active/);
    expect(await page.getByLabel('Training progress').getAttribute('data-fraction')).toBe('1.000');
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    writeFileSync(artifactPath('long-tasks-during-training.json'), JSON.stringify({ count: longTasks.length, maxMs: Math.max(0, ...longTasks) }, null, 2));
    await expect.poll(() => page.locator('[data-model-id="1"]').textContent()).toMatch(/tiny.*active/);
    // The run's end refreshes the current patient's predictions.
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(storedPredictionCaption(1));
    await page.getByLabel('Prediction style').selectOption('heat');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } }); // keys go to the viewer, not the select
    await page.keyboard.press('d');
    await expect.poll(() => page.getByLabel('Difference overlay').isChecked()).toBe(true);
    await page.screenshot({ path: artifactPath('prediction-heat-and-difference.png') });
    // A two-epoch tiny model disagrees with the radiologist's mask somewhere: the difference view shows where (in
    // its own colours over the grey FLAIR slice, with the heat map off).
    await page.keyboard.press('p');
    await page.keyboard.press('2');
    await expect.poll(async () => colouredPixels(await readDrawnLayer(page, 'difference', { width: 256, height: 256 }), 256 * 256).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await page.keyboard.press('p');
    await page.screenshot({ path: artifactPath('prediction-overlay.png') });
    expect(errors).toEqual([]);
  }, 600_000);
});
