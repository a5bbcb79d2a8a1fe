// What the viewer draws must be the slice on screen's own data. Reads back the drawn overlay canvases (Konva's
// layer pixels, not the DOM) after every way of changing what is shown — patient switch, slice keys, wheel, `N`,
// history hover and leave — and compares them pixel for pixel with the truth: the catalog's stored mask (read as
// `brainseg masks … --save` reads it), and its stored prediction for the prediction outline and the difference view.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openCatalog } from '../../src/catalog/db.js';
import { findPatientByCaseId } from '../../src/catalog/patients.js';
import { findPrediction } from '../../src/catalog/predictions.js';
import { findSlice } from '../../src/catalog/slices.js';
import { differenceOverlay, predictionOverlay } from '../../src/editing/overlays.js';
import { chromiumAvailable, launchChromium, shownSliceNumber, sliceCaption, startServe, type ServeProcess, storedPredictionCaption } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { colouredPixels, expectedColoured, expectedOpaque, mismatches, opaquePixels, readDrawnLayer, storedMask } from '../helpers/drawn-overlay.js';
import { makeSampleSubset, readSampleSlice } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

// The cases of the bug report: HT_7602 (edited first), then CS_6666 and CS_6665, whose slice 1 has no lesion.
const EDITED = 'TCGA_HT_7602_19951103';
const OTHER = 'TCGA_CS_6666_20011109';
const LESION_FREE_FIRST = 'TCGA_CS_6665_20010817';
const SIZE = { width: 256, height: 256 };
const PIXELS = SIZE.width * SIZE.height;
const run = chromiumAvailable();

describe.runIf(run)('the drawn overlays match the stored truth of the slice on screen', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  let home: string;
  const errors: string[] = [];

  const openPatient = async (caseId: string) => {
    await page.locator(`tr[data-case-id="${caseId}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 15_000 }).toContain(caseId);
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } }); // keys go to the viewer
  };
  const caseOnScreen = async () => /^(TCGA_\w+?_\d{8})/.exec(await sliceCaption(page))![1]!;

  /** Waits until the drawn mask layer equals the stored mask of the slice the caption names. */
  const expectMaskMatchesStored = async (version?: number) => {
    const caseId = await caseOnScreen();
    const number = await shownSliceNumber(page);
    const truth = await storedMask(home, caseId, number, version);
    await expect.poll(async () => mismatches(opaquePixels(await readDrawnLayer(page, 'mask', SIZE), PIXELS), truth),
      { timeout: 5_000, message: `${caseId} slice ${number}: drawn mask vs stored` }).toBe(0);
    return truth;
  };

  beforeAll(async () => {
    home = tempDir.persistent();
    serve = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(serve.url);
    const dataset = makeSampleSubset(tempDir.persistent(), [EDITED, OTHER, LESION_FREE_FIRST]);
    await page.getByLabel('Folder path').fill(dataset);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForSelector('[data-shown-slice]', { timeout: 30_000 });
    for (const caseId of [EDITED, OTHER, LESION_FREE_FIRST]) await page.waitForSelector(`tr[data-case-id="${caseId}"]`);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('after an edit, a patient switch draws the new patient\'s mask, not the edited one', async () => {
    await openPatient(EDITED);
    await page.keyboard.press('b');
    await page.keyboard.press(']');
    const box = (await page.getByTestId('viewer').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 60);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 - 60, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('All edits saved');
    await page.keyboard.press('v'); // navigate tool: the clicks below must not paint
    await expectMaskMatchesStored();

    await openPatient(OTHER);
    const shown = await expectMaskMatchesStored();
    expect(shown.some((v) => v === 1)).toBe(true); // it opens on a lesion slice: a real mask is compared
    // The lesion area shown is the stored mask's.
    await expect.poll(() => page.getByTestId('lesion-area').textContent()).toContain(`area ${shown.reduce((a, b) => a + b, 0)} px`);
  }, 120_000);

  it('slice keys, Home and the wheel each draw the shown slice\'s own mask', async () => {
    await openPatient(LESION_FREE_FIRST);
    await expectMaskMatchesStored();
    await page.keyboard.press('Home');
    await expect.poll(() => shownSliceNumber(page)).toBe(1);
    const first = await expectMaskMatchesStored();
    expect(first.every((v) => v === 0)).toBe(true); // slice 1 has no lesion: nothing may be drawn
    await page.keyboard.press('End');
    await expectMaskMatchesStored();
    await openPatient(OTHER);
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'PageDown', 'ArrowDown']) {
      const before = await shownSliceNumber(page);
      await page.keyboard.press(key);
      await expect.poll(() => shownSliceNumber(page)).not.toBe(before);
      await expectMaskMatchesStored();
    }
    const box = (await page.getByTestId('viewer').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (const deltaY of [120, 120, -120]) {
      const before = await shownSliceNumber(page);
      await page.mouse.wheel(0, deltaY);
      await expect.poll(() => shownSliceNumber(page)).not.toBe(before);
      await expectMaskMatchesStored();
    }
    // A trackpad's ten small deltas (10 px each) are one slice, not nine.
    const beforeTrackpad = await shownSliceNumber(page);
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 10);
    await expect.poll(() => shownSliceNumber(page)).toBe(beforeTrackpad + 1);
    await expectMaskMatchesStored();
    // The patient and slice survive a reload (they are in the URL).
    const shownBeforeReload = await shownSliceNumber(page);
    await page.reload();
    await expect.poll(() => sliceCaption(page), { timeout: 15_000 }).toContain(`${OTHER} · slice ${shownBeforeReload} of`);
    await expectMaskMatchesStored();
  }, 420_000);

  it('the cursor readout follows a slice change without a mouse move', async () => {
    await openPatient(OTHER);
    const box = (await page.getByTestId('viewer').boundingBox())!;
    const scale = Math.min(box.width / SIZE.width, box.height / SIZE.height);
    // Put the mouse over the centre of a lesion pixel of the shown slice.
    const number = await shownSliceNumber(page);
    const mask = await storedMask(home, OTHER, number);
    const at = mask.findIndex((v) => v === 1);
    const [x, y] = [at % SIZE.width, Math.floor(at / SIZE.width)];
    const origin = { x: box.x + (box.width - SIZE.width * scale) / 2, y: box.y + (box.height - SIZE.height * scale) / 2 };
    await page.mouse.move(origin.x + (x + 0.5) * scale, origin.y + (y + 0.5) * scale);
    const flair = async (n: number) => (await readSampleSlice(OTHER, n)).image.data[(y * SIZE.width + x) * 3 + 1];
    await expect.poll(() => page.getByTestId('cursor-readout').textContent()).toContain(`x ${x}, y ${y}`);
    expect(await page.getByTestId('cursor-readout').textContent()).toContain('in mask');
    // Walk to the first slice (lesion-free there) by keys alone: the readout must describe it.
    await page.keyboard.press('Home');
    await expect.poll(() => shownSliceNumber(page)).toBe(1);
    await expect.poll(() => page.getByTestId('cursor-readout').textContent()).toBe(`x ${x}, y ${y} · value ${await flair(1)}`);

    // Ctrl+wheel zooms toward the cursor: the image pixel under it stays under it.
    const underCursor = () => page.evaluate(({ px, py }) => {
      const node = (window as unknown as { Konva: { stages: { findOne(s: string): { x(): number; y(): number; scaleX(): number } }[] } }).Konva.stages[0]!.findOne('.image');
      return { x: (px - node.x()) / node.scaleX(), y: (py - node.y()) / node.scaleX(), scale: node.scaleX() };
    }, { px: origin.x + (x + 0.5) * scale - box.x, py: origin.y + (y + 0.5) * scale - box.y });
    const before = await underCursor();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect.poll(async () => (await underCursor()).scale).toBeGreaterThan(before.scale * 1.2);
    const after = await underCursor();
    expect(Math.abs(after.x - before.x)).toBeLessThan(1);
    expect(Math.abs(after.y - before.y)).toBeLessThan(1);
    await page.keyboard.press('0');
  });

  it('the lightbox (X) shows every slice with its own mask, and a click opens that slice', async () => {
    await openPatient(LESION_FREE_FIRST);
    await page.keyboard.press('x');
    const tiles = page.getByTestId('lightbox').locator('.lightbox-item');
    // The tiles draw as their slices arrive: under load (a training run, predictions after the import) that can
    // take longer than a poll's default second.
    await expect.poll(() => tiles.count(), { timeout: 15_000 }).toBe(24);
    // A tile shows mask colour exactly when its slice's stored mask has a lesion.
    const colouredTiles = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLButtonElement>('.lightbox-item')).map((item) => {
      const canvas = item.querySelector('canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 30) coloured++;
      return { number: Number(item.dataset['sliceNumber']), coloured };
    }));
    await expect.poll(async () => (await colouredTiles()).filter((t) => t.coloured > 0).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const shown = await colouredTiles();
    for (const number of [1, shown.find((t) => t.coloured > 0)!.number]) {
      const truth = await storedMask(home, LESION_FREE_FIRST, number);
      expect(shown.find((t) => t.number === number)!.coloured > 0, `slice ${number}`).toBe(truth.some((v) => v === 1));
    }
    const lesionTile = shown.find((t) => t.coloured > 0)!.number;
    await tiles.nth(shown.findIndex((t) => t.number === lesionTile)).click();
    await expect.poll(() => shownSliceNumber(page)).toBe(lesionTile);
    await expectMaskMatchesStored();
  }, 120_000);

  it('history hover previews the hovered version, and leaving the row brings the current mask back', async () => {
    await openPatient(EDITED);
    const versions = page.locator('tr[data-version-id]');
    await expect.poll(() => versions.count()).toBeGreaterThan(1);
    const importedId = Number(await versions.last().getAttribute('data-version-id'));
    await versions.last().hover();
    await expectMaskMatchesStored(importedId);
    await page.getByTestId('viewer').hover({ position: { x: 5, y: 5 } });
    await expectMaskMatchesStored();
    // Hover and leave at once: the preview's late answer must not bring it back.
    await versions.last().hover();
    await page.getByTestId('viewer').hover({ position: { x: 5, y: 5 } });
    await page.waitForTimeout(500);
    await expectMaskMatchesStored();
  }, 120_000);

  it('the prediction outline and the difference view follow slice changes and N', async () => {
    const trained = await runCli(home, ['train', '--preset', 'tiny', '--epochs', '1', '--steps', '20', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    expect((await runCli(home, ['predict', '--all'])).code).toBe(0);
    await page.reload();
    await openPatient(OTHER);
    await expect.poll(() => sliceCaption(page), { timeout: 15_000 }).toMatch(storedPredictionCaption(1));
    await page.keyboard.press('m'); // mask off: its own layer, not needed here
    await page.keyboard.press('2'); // FLAIR: a grey slice, so any coloured pixel is an overlay
    await page.getByLabel('Prediction style').selectOption('outline');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    const threshold = 0.5; // the viewer's default cut

    const db = await openCatalog(path.join(home, 'catalog.sqlite'));
    try {
      const stored = async () => {
        const caseId = await caseOnScreen();
        const number = await shownSliceNumber(page);
        const slice = (await findSlice(db, (await findPatientByCaseId(db, caseId))!.id, number))!;
        return { number, caseId, probabilities: (await findPrediction(db, slice.id, 1))!.probabilities };
      };
      // Each overlay's layer (the outline over the mask, the difference under it), its coloured pixels: the outline's
      // dark halo is not coloured, its line is.
      const expectDrawn = async (node: string, expected: (s: Awaited<ReturnType<typeof stored>>) => Promise<Uint8Array>) => {
        const s = await stored();
        const truth = await expected(s);
        await expect.poll(async () => mismatches(colouredPixels(await readDrawnLayer(page, node, SIZE), PIXELS), truth),
          { timeout: 5_000, message: `${s.caseId} slice ${s.number}` }).toBe(0);
      };
      const outline = async (s: { probabilities: Uint8Array }) =>
        expectedColoured(predictionOverlay(s.probabilities, SIZE.width, SIZE.height, { mode: 'outline', threshold, opacity: 0.6 }), PIXELS);
      const difference = async (s: { probabilities: Uint8Array; caseId: string; number: number }) => {
        const mask = await storedMask(home, s.caseId, s.number);
        return expectedOpaque(differenceOverlay(mask, s.probabilities, SIZE.width, SIZE.height, threshold, 1).overlay, PIXELS);
      };

      await expect.poll(() => page.getByLabel('Prediction overlay').isChecked()).toBe(true);
      await expectDrawn('prediction', outline);
      for (const key of ['ArrowDown', 'ArrowDown', 'Home', 'n', 'n']) {
        await page.keyboard.press(key);
        await expectDrawn('prediction', outline);
      }
      await openPatient(LESION_FREE_FIRST);
      await page.keyboard.press('2');
      await expectDrawn('prediction', outline);

      await page.keyboard.press('p'); // prediction off, difference on
      await page.keyboard.press('d');
      await expectDrawn('difference', difference);
      for (const key of ['ArrowDown', 'n', 'Home']) {
        await page.keyboard.press(key);
        await expectDrawn('difference', difference);
      }
      await openPatient(OTHER);
      await page.keyboard.press('2');
      await expectDrawn('difference', difference);
    } finally {
      await db.destroy();
    }
    expect(errors).toEqual([]);
  }, 300_000);
});
