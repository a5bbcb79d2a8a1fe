// The undo history comes back with the page: two strokes, a reload, and Ctrl+Z (then the Undo button) take the
// stored mask back to exactly the mask after the first stroke, then the original; redo goes forward again. Each
// step is checked against the catalog's own mask (over the API) and against what the viewer draws.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { connectApi, type ApiClient } from '../../src/server/api-client.js';
import { artifactPath, chromiumAvailable, launchChromium, shownSliceNumber, sliceCaption, startServe, type ServeProcess } from '../helpers/browser.js';
import { mismatches, opaquePixels, readDrawnLayer } from '../helpers/drawn-overlay.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const CASE = 'TCGA_CS_6665_20010817';
const SIZE = { width: 256, height: 256 };
const run = chromiumAvailable();

describe.runIf(run)('undo after a reload (brainseg serve + Chromium)', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let sliceId: number;
  const errors: string[] = [];

  beforeAll(async () => {
    const home = resolveHome(tempDir.persistent());
    const db = await openCatalog(home.catalog);
    await importPath(db, makeSampleSubset(tempDir.persistent(), [CASE]));
    await db.destroy();
    serve = await startServe(home.root);
    api = await connectApi(serve.url);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(serve.url);
  }, 120_000);

  afterAll(async () => {
    api?.close();
    await browser?.close();
    await serve?.stop();
  });

  const openPatient = async () => {
    await page.locator(`tr[data-case-id="${CASE}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 30_000 }).toContain(CASE);
  };
  const saved = () => expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('All edits saved');
  const stored = async () => (await api.request('masks:get-current', { sliceId })).data;
  const drawn = async () => opaquePixels(await readDrawnLayer(page, 'mask', SIZE), SIZE.width * SIZE.height);
  /** The catalog's current mask is exactly `mask`, and the viewer draws exactly it. */
  const storedAndDrawn = async (mask: Uint8Array) => {
    await expect.poll(async () => Buffer.from(await stored()).equals(Buffer.from(mask)), { timeout: 10_000 }).toBe(true);
    await saved();
    await expect.poll(async () => mismatches(await drawn(), mask), { timeout: 5_000 }).toBe(0);
  };
  /** A brush stroke across the viewer at height `dy` from its centre. */
  const stroke = async (dy: number) => {
    const box = (await page.getByTestId('viewer').boundingBox())!;
    const y = box.y + box.height / 2 + dy;
    await page.mouse.move(box.x + box.width / 2 - 120, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, y, { steps: 12 });
    await page.mouse.up();
    await saved();
  };

  it('undoes the last stroke made before the reload, then the one before it, on the right slice, and redoes', async () => {
    await openPatient();
    const number = await shownSliceNumber(page);
    const patient = (await api.request('catalog:list-patients', {})).find((p) => p.caseId === CASE)!;
    sliceId = (await api.request('catalog:list-slices', { patientId: patient.id })).find((s) => s.number === number)!.id;
    const original = await stored();
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } }); // keys go to the viewer
    await page.keyboard.press('b');
    await page.keyboard.press(']');
    await stroke(-150);
    const afterFirst = await stored();
    await stroke(-100);
    const afterSecond = await stored();
    expect(mismatches(afterFirst, original)).toBeGreaterThan(100);
    expect(mismatches(afterSecond, afterFirst)).toBeGreaterThan(100);

    await page.reload();
    await openPatient();
    await expect.poll(() => shownSliceNumber(page)).toBe(number);
    await storedAndDrawn(afterSecond);
    const undoButton = page.getByRole('button', { name: 'Undo', exact: true });
    await expect.poll(() => undoButton.isEnabled()).toBe(true);

    await page.keyboard.press('Control+z'); // the brush is back as the tool too: no click on the image first
    await storedAndDrawn(afterFirst);
    await undoButton.click(); // the UI's Undo, as well as the key
    await storedAndDrawn(original);
    expect(await undoButton.isEnabled()).toBe(false);
    await page.keyboard.press('Control+Shift+z');
    await storedAndDrawn(afterFirst);
    // Each step was saved as a version of its own: nothing was overwritten, the strokes are still in the history.
    const versions = await api.request('masks:list-versions', { sliceId });
    expect(versions.slice(0, 4).map((v) => v.operation)).toEqual(['redo', 'undo', 'undo', 'brush']);
    await page.screenshot({ path: artifactPath('undo-after-reload.png') });
    expect(errors).toEqual([]);
  }, 180_000);
});
