// Colours and layout as a radiologist sees them at 1440×900 and 1280×720 (issue #31 item 9), checked against what is
// drawn: the slice's drawn height with the side panels open, no cell of the patient list, history or models table
// whose text wraps or is cut, the heat map's pixels against the ramp at the stored probabilities, the prediction
// outline still its own colour where it crosses the mask's fill, and the scale bar's length against its mm label,
// the pixel size and the zoom.
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { findPatientByCaseId } from '../../src/catalog/patients.js';
import { findPrediction } from '../../src/catalog/predictions.js';
import { findSlice } from '../../src/catalog/slices.js';
import { heatAlpha, heatColor } from '../../src/editing/heat-ramp.js';
import { COLORS, predictionOverlay } from '../../src/editing/overlays.js';
import { chromiumAvailable, openWorkstation, shownSliceNumber, storedPredictionCaption, type OpenWorkstation } from '../helpers/browser.js';
import { storedMask } from '../helpers/drawn-overlay.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const FIRST = 'TCGA_CS_6665_20010817';
const SECOND = 'TCGA_HT_7602_19951103';
const SIZE = { width: 256, height: 256 };
const SIZES = [{ width: 1440, height: 900, minSlice: 600 }, { width: 1280, height: 720, minSlice: 500 }] as const;
const run = chromiumAvailable();

/** The slice image as Konva draws it: its node's position and scale on the stage (CSS px per image pixel). */
function drawnImage(page: Page) {
  return page.evaluate(() => {
    interface Node { x(): number; y(): number; scaleX(): number; width(): number; height(): number; scaleY(): number }
    const konva = (window as unknown as { Konva: { stages: { findOne(selector: string): Node | undefined }[] } }).Konva;
    const node = konva.stages[0]!.findOne('.image')!;
    return { x: node.x(), y: node.y(), scale: node.scaleX(), height: node.height() * node.scaleY() };
  });
}

/**
 * Every cell of the three tables whose text is wider than the cell, any text node laid out over more than one line,
 * and any table wider than its panel: a description of each, empty when all fits.
 */
function cutOrWrapped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const table of Array.from(document.querySelectorAll('.patients table, .history table, .models table'))) {
      const panel = table.closest('aside')!;
      if (panel.scrollWidth > panel.clientWidth) found.push(`${table.closest('section')?.ariaLabel}: ${panel.scrollWidth} px wide in ${panel.clientWidth}`);
      for (const cell of Array.from(table.querySelectorAll('td, th'))) {
        if (cell.scrollWidth > cell.clientWidth + 1) found.push(`cut: "${cell.textContent}" (${cell.scrollWidth} > ${cell.clientWidth})`);
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          if (!text.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(text);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (lines.size > 1) found.push(`wrapped over ${lines.size} lines: "${text.textContent}"`);
        }
      }
    }
    return found;
  });
}

describe.runIf(run)('colours and layout at 1440×900 and 1280×720 (brainseg serve + Chromium)', () => {
  let workstation: OpenWorkstation;
  let page: Page;
  let home: string;

  /** The shown slice's stored prediction by the bundled model (model 1), from the catalog. */
  const storedPrediction = async () => {
    const number = await shownSliceNumber(page);
    const db = await openCatalog(path.join(home, 'catalog.sqlite'));
    try {
      const slice = (await findSlice(db, (await findPatientByCaseId(db, FIRST))!.id, number))!;
      return { number, probabilities: (await findPrediction(db, slice.id, 1))!.probabilities };
    } finally {
      await db.destroy();
    }
  };

  beforeAll(async () => {
    home = tempDir.persistent();
    workstation = await openWorkstation(home, SIZES[0], { BRAINSEG_BUNDLED_MODEL: '' });
    page = workstation.page;
    await page.getByLabel('Folder path').fill(makeSampleSubset(tempDir.persistent(), [FIRST, SECOND]));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // (expect.poll is for tests: hooks wait in the page.)
    await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('[data-testid="slice-caption"]')?.textContent ?? ''),
      storedPredictionCaption(1, FIRST).source, { timeout: 120_000 });
    // The slice the model is surest of a lesion on, where the heat map and the outline have most to show.
    const db = await openCatalog(path.join(home, 'catalog.sqlite'));
    let best = { number: 1, confident: -1 };
    try {
      const patient = (await findPatientByCaseId(db, FIRST))!;
      for (let number = 1, slice = await findSlice(db, patient.id, 1); slice; slice = await findSlice(db, patient.id, ++number)) {
        const confident = (await findPrediction(db, slice.id, 1))!.probabilities.filter((p) => p > 200).length;
        if (confident > best.confident) best = { number, confident };
      }
    } finally {
      await db.destroy();
    }
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Home');
    for (let i = 1; i < best.number; i++) await page.keyboard.press('ArrowDown');
    await page.waitForFunction((n) => /prediction: model 1$/.test(document.querySelector('[data-testid="slice-caption"] span')?.textContent ?? '') &&
      document.querySelector('[data-testid="slice-caption"]')!.textContent!.includes(`slice ${n} of`) &&
      document.querySelectorAll('.history tr[data-version-id]').length === 1, best.number, { timeout: 10_000 });
    // A second version of that slice (its prediction accepted): the history gets a row with a Revert button too.
    await page.keyboard.press('a');
    await page.waitForFunction(() => document.querySelectorAll('.history tr[data-version-id]').length === 2, undefined, { timeout: 10_000 });
  }, 180_000);

  afterAll(() => workstation?.close());

  it('draws the slice large with both side panels open, and no table text wraps or is cut, at both sizes', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const label = `${size.width}×${size.height}`;
      await expect.poll(async () => (await drawnImage(page)).height, { message: label }).toBeGreaterThanOrEqual(size.minSlice);
      const canvas = (await page.locator('[data-testid="viewer"] canvas').first().boundingBox())!;
      expect(canvas.height, label).toBeGreaterThanOrEqual(size.minSlice);
      for (const panel of ['.sidebar', '.rightbar']) expect((await page.locator(panel).boundingBox())!.width, `${label} ${panel}`).toBeGreaterThan(250);
      expect(await page.locator('.models tbody tr[data-model-id]').count()).toBeGreaterThan(0);
      expect(await cutOrWrapped(page), label).toEqual([]);
    }
  });

  it('draws the heat map in the ramp\'s colours at the stored probabilities, transparent below 5 %', async () => {
    await page.setViewportSize(SIZES[1]);
    await page.keyboard.press('m'); // the mask off: the heat map alone on its layer
    await page.getByLabel('Prediction style').selectOption('heat');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    const { probabilities } = await storedPrediction();
    expect(probabilities.some((p) => p > 200), 'a slice with a confident prediction').toBe(true);
    // The heat layer's own canvas at each image pixel's centre: un-premultiplied RGBA, compared with the ramp.
    const check = () => page.evaluate(({ probabilities, ramp, alphas, width, height }) => {
      interface Node { x(): number; y(): number; scaleX(): number; getLayer(): { getCanvas(): { getPixelRatio(): number; _canvas: HTMLCanvasElement } } }
      const konva = (window as unknown as { Konva: { stages: { findOne(selector: string): Node | undefined }[] } }).Konva;
      const node = konva.stages[0]!.findOne('.prediction');
      if (!node) return { checked: 0, wrong: ['no prediction node'] };
      const canvas = node.getLayer().getCanvas();
      const ratio = canvas.getPixelRatio();
      const pixels = canvas._canvas.getContext('2d')!.getImageData(0, 0, canvas._canvas.width, canvas._canvas.height).data;
      const wrong: string[] = [];
      let checked = 0;
      for (let i = 0; i < width * height; i++) {
        const cx = Math.floor((node.x() + ((i % width) + 0.5) * node.scaleX()) * ratio);
        const cy = Math.floor((node.y() + (Math.floor(i / width) + 0.5) * node.scaleX()) * ratio);
        if (cx < 0 || cy < 0 || cx >= canvas._canvas.width || cy >= canvas._canvas.height) continue;
        const o = (cy * canvas._canvas.width + cx) * 4;
        const p = probabilities[i]!;
        const alpha = alphas[p]!;
        checked++;
        if (Math.abs(pixels[o + 3]! - alpha) > 2) wrong.push(`p ${p}: alpha ${pixels[o + 3]} not ${alpha}`);
        // The canvas stores premultiplied colour: at alpha a, a channel is known to within 255 / a.
        const tolerance = alpha === 0 ? 0 : Math.ceil(255 / alpha) + 1;
        for (let c = 0; c < 3 && alpha > 0; c++) if (Math.abs(pixels[o + c]! - ramp[p]![c]!) > tolerance) wrong.push(`p ${p}: rgb ${[...pixels.subarray(o, o + 3)]} not ${ramp[p]}`);
        if (wrong.length > 5) break;
      }
      return { checked, wrong };
    }, {
      probabilities: [...probabilities], ...SIZE,
      ramp: Array.from({ length: 256 }, (_, p) => [...heatColor(p / 255)]), alphas: Array.from({ length: 256 }, (_, p) => heatAlpha(p, 0.6)),
    });
    await expect.poll(async () => (await check()).wrong, { timeout: 10_000 }).toEqual([]);
    expect((await check()).checked).toBeGreaterThan(SIZE.width * SIZE.height * 0.9);
    // Its legend: the same ramp, named.
    expect(await page.getByTestId('heat-legend').innerText()).toMatch(/prediction p 0\.05 → 1/);
    await page.getByLabel('Prediction style').selectOption('outline');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('m');
  });

  it('keeps the prediction outline its own colour where it crosses the mask\'s fill (a cyan line over yellow read as green)', async () => {
    await page.setViewportSize(SIZES[1]);
    const { number, probabilities } = await storedPrediction();
    const mask = await storedMask(home, FIRST, number);
    const outline = predictionOverlay(probabilities, SIZE.width, SIZE.height, { mode: 'outline', threshold: 0.5, opacity: 0.6 });
    const image = await drawnImage(page);
    // The whole page, located through the stage's canvas: an element screenshot of a box at a fractional position is
    // shifted by its rounding.
    const stage = (await page.locator('[data-testid="viewer"] canvas').first().boundingBox())!;
    const { data, info } = await sharp(await page.screenshot()).raw().toBuffer({ resolveWithObject: true });
    let over = 0;
    const off: string[] = [];
    for (let i = 0; i < SIZE.width * SIZE.height; i++) {
      // Outline pixels inside the mask: the fill is under them.
      if (outline[i * 4 + 3] !== 255 || !mask[i]) continue;
      const x = Math.floor(stage.x + image.x + ((i % SIZE.width) + 0.5) * image.scale);
      const y = Math.floor(stage.y + image.y + (Math.floor(i / SIZE.width) + 0.5) * image.scale);
      const o = (y * info.width + x) * info.channels;
      over++;
      const drawn = [data[o]!, data[o + 1]!, data[o + 2]!];
      if (drawn.some((v, c) => Math.abs(v - COLORS.prediction[c]!) > 8)) off.push(`${drawn} at ${x},${y}`);
    }
    expect(over, 'outline pixels over the mask fill on this slice').toBeGreaterThan(10);
    expect(off).toEqual([]);
  });

  it('shows a scale bar whose length is its mm label / pixel size × zoom, or says the pixel size is unknown', async () => {
    const bar = page.getByTestId('scale-bar');
    expect(await bar.innerText()).toMatch(/scale unknown: no pixel size/);
    await page.getByLabel('Pixel size (mm)').fill('0.9375');
    await page.getByLabel('Slice spacing (mm)').fill('3');
    await page.getByTestId('slice-caption').getByRole('button', { name: 'Set' }).click();
    const expectTrueLength = async (label: string) => {
      await expect.poll(() => bar.getAttribute('data-mm'), { message: label }).not.toBeNull();
      const mm = Number(await bar.getAttribute('data-mm'));
      expect(await bar.innerText()).toBe(`${mm} mm`);
      const drawn = (await page.getByTestId('scale-bar-line').boundingBox())!.width;
      const { scale } = await drawnImage(page);
      expect(drawn, label).toBeCloseTo((mm / 0.9375) * scale, 0);
      return { mm, drawn };
    };
    const fitted = await expectTrueLength('fitted');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 4; i++) await page.keyboard.press('=');
    await expect.poll(async () => (await drawnImage(page)).scale).toBeGreaterThan(1.5 * ((await page.getByTestId('viewer').boundingBox())!.height / 256));
    const zoomed = await expectTrueLength('zoomed');
    expect(zoomed.mm, 'a shorter length once zoomed in').toBeLessThan(fitted.mm);
    await page.keyboard.press('0');
  });
});
