// Scanner-format patients in the workstation, end to end (brainseg serve + Chromium): one LGG patient stored
// sagittally as NIfTI by nibabel (test/fixtures/scanner/make_ui_case.py), imported through the import dialog, and
// what a person then sees — orientation letters, the slice resliced back to axial pixel for pixel, window/level
// and the pixel readout in the source's units, the import's warnings — and a NIfTI export nibabel reads.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_RANGE, windowLookup } from '../../renderer/src/logic/display.js';
import { artifactPath, chromiumAvailable, launchChromium, shownSliceNumber, sliceCaption, startServe, type ServeProcess } from '../helpers/browser.js';
import { runFixtureScript, writeLggRaw } from '../helpers/lgg-raw.js';
import { niftiToolsAvailable } from '../helpers/nifti-fixtures.js';
import { readSampleSlice, REPO_ROOT, samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

// 20 slices, every channel reaching 0 and 255: the FLAIR's source window is exactly 2·0 + 100 … 2·255 + 100.
const CASE = 'TCGA_HT_7602_19951103';
const SCAN = 'UI_SAG_001';
const FLAIR_ONLY = 'UI_FLAIR_ONLY';
const SIZE = { width: 256, height: 256 };
const run = chromiumAvailable() && niftiToolsAvailable();

/** The FLAIR's source units, as make_ui_case.py stores it. */
const flairSource = (v: number) => 2 * v + 100;

describe.runIf(run)('scanner-format patients in the workstation (NIfTI, stored sagittally)', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  let niftiRoot: string;
  let flairOnlyRoot: string;
  let sagittal: { shape: number[] };
  const errors: string[] = [];

  beforeAll(async () => {
    const work = tempDir.persistent();
    const raw = await writeLggRaw(CASE, path.join(work, 'raw'));
    niftiRoot = path.join(work, 'nifti');
    sagittal = JSON.parse(runFixtureScript('make_ui_case.py', [raw.dir, niftiRoot, SCAN])) as { shape: number[] };
    // The same FLAIR and labels as a patient with nothing else: its other channels are filled with FLAIR, and it says so.
    flairOnlyRoot = path.join(work, 'flair-only');
    mkdirSync(path.join(flairOnlyRoot, FLAIR_ONLY), { recursive: true });
    for (const part of ['flair', 'seg']) copyFileSync(path.join(niftiRoot, SCAN, `${SCAN}_${part}.nii.gz`), path.join(flairOnlyRoot, FLAIR_ONLY, `${FLAIR_ONLY}_${part}.nii.gz`));

    serve = await startServe(tempDir.persistent());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(serve.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  const openPatient = async (caseId: string) => {
    await page.locator(`tr[data-case-id="${caseId}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 20_000 }).toMatch(new RegExp(`${caseId} · slice \\d+ of`));
    await page.waitForFunction(() => document.querySelector('[data-testid="viewer"]')?.getAttribute('data-shown-slice'));
  };
  const importThrough = async (folder: string) => {
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
  };
  const status = () => page.getByTestId('status').textContent();

  it('imports an LGG TIFF patient straight away, as before: no dialog, no orientation letters, 8-bit W/L', async () => {
    await importThrough(samplePatientFolder(CASE));
    await expect.poll(status, { timeout: 60_000 }).toMatch(/Imported 1 new patients, 20 slices/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await openPatient(CASE);
    expect(await page.getByTestId('orientation').count()).toBe(0);
    expect(await page.getByTestId('scan-format').count()).toBe(0);
    expect(await page.getByLabel('Window value').inputValue()).toBe('256');
    expect(await page.getByLabel('Level value').inputValue()).toBe('128');
  });

  it('shows what a NIfTI folder holds, with each file\'s role and why, and imports it with the roles the user set', async () => {
    await importThrough(niftiRoot);
    const dialog = page.getByRole('dialog', { name: 'Import' });
    await dialog.waitFor();
    const row = (file: string) => dialog.locator(`tr[data-series-key$="${file}"]`);
    expect(await dialog.locator(`tbody[data-case-id="${SCAN}"] .import-patient`).textContent()).toBe(`${SCAN} · NIfTI`);
    for (const [part, role] of [['flair', 'flair'], ['t1', 't1'], ['seg', 'label'], ['sequence3', 'other']] as const) {
      expect(await row(`${SCAN}_${part}.nii.gz`).getAttribute('data-role'), part).toBe(role);
    }
    expect(await row(`${SCAN}_flair.nii.gz`).locator('.series-reason').textContent()).toMatch(/ends with "flair"/);
    expect(await row(`${SCAN}_sequence3.nii.gz`).locator('.series-reason').textContent()).toMatch(/name not recognised/);
    // The post-contrast T1 under a name the importer does not know: the user says what it is.
    await dialog.getByLabel(`Role of ${SCAN}_sequence3.nii.gz`).selectOption('t1c');
    await expect.poll(() => row(`${SCAN}_sequence3.nii.gz`).getAttribute('data-role')).toBe('t1c');
    expect(await row(`${SCAN}_sequence3.nii.gz`).locator('.series-reason').textContent()).toMatch(/set by the user/);
    await page.screenshot({ path: artifactPath('scanner-import-dialog.png') });
    // A label list that is not one: Import waits until it is.
    await dialog.getByLabel('Lesion labels').fill('1,x');
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await dialog.getByLabel('Lesion labels').fill('1');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/Imported 1 new patients, 20 slices \(7 with lesions/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    // Every sequence given: nothing to warn about.
    expect(await status()).not.toMatch(/⚠/);
    await expect.poll(() => sliceCaption(page), { timeout: 20_000 }).toMatch(new RegExp(`${SCAN} · slice \\d+ of 20 · lesion`));
    expect(await page.getByTestId('scan-format').textContent()).toBe('NIfTI');
    expect(await page.locator(`tr[data-case-id="${SCAN}"] [data-testid="patient-warning"]`).count()).toBe(0);
  }, 120_000);

  it('labels the edges of the sagittally stored slice as an axial view: R left, L right, A top, P bottom, at any zoom', async () => {
    await openPatient(SCAN);
    const viewer = (await page.getByTestId('viewer').boundingBox())!;
    const readout = (await page.getByTestId('cursor-readout').boundingBox())!;
    const letters = async () => {
      const out: Record<string, { text: string; box: { x: number; y: number; width: number; height: number } }> = {};
      for (const edge of ['left', 'right', 'top', 'bottom']) {
        const letter = page.locator(`.orientation-letter[data-edge="${edge}"]`);
        expect(await letter.isVisible(), edge).toBe(true);
        out[edge] = { text: (await letter.textContent()) ?? '', box: (await letter.boundingBox())! };
      }
      return out;
    };
    const inside = (box: { x: number; y: number; width: number; height: number }, outer: typeof box) =>
      box.x >= outer.x - 0.5 && box.y >= outer.y - 0.5 && box.x + box.width <= outer.x + outer.width + 0.5 && box.y + box.height <= outer.y + outer.height + 0.5;
    const overlaps = (a: typeof viewer, b: typeof viewer) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

    // The import's message fades by itself; closed here so that nothing lies over the top letter.
    if (await page.getByTestId('toast').count()) await page.getByTestId('toast').getByRole('button', { name: 'Close message' }).click();
    const fitted = await letters();
    expect(Object.fromEntries(Object.entries(fitted).map(([edge, l]) => [edge, l.text]))).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    // Where the image is: the slice is fitted (square, in a wider viewer), the letters just inside its edges.
    const side = Math.min(viewer.width, viewer.height);
    const image = { x: viewer.x + (viewer.width - side) / 2, y: viewer.y + (viewer.height - side) / 2, width: side, height: side };
    for (const [edge, l] of Object.entries(fitted)) {
      expect(inside(l.box, image), edge).toBe(true);
      expect(overlaps(l.box, readout), edge).toBe(false);
    }
    expect(fitted['left']!.box.x - image.x).toBeLessThan(12);
    expect(image.x + image.width - (fitted['right']!.box.x + fitted['right']!.box.width)).toBeLessThan(12);
    expect(fitted['top']!.box.y - image.y).toBeLessThan(12);
    expect(image.y + image.height - (fitted['bottom']!.box.y + fitted['bottom']!.box.height)).toBeLessThan(12);
    // Really on screen, not just in the DOM: each letter's box in a screenshot holds its white strokes.
    for (const [edge, l] of Object.entries(fitted)) {
      const { data, info } = await sharp(await page.screenshot({ clip: l.box })).raw().toBuffer({ resolveWithObject: true });
      let white = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 200 && data[i + 1]! > 200 && data[i + 2]! > 200) white++;
      expect(white, edge).toBeGreaterThan(8);
    }
    // Legible on any image: light text on its own dark backing.
    const colours = await page.locator('.orientation-letter[data-edge="left"]').evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
    expect(colours[0]).toBe('rgb(255, 255, 255)');
    expect(colours[1]).toMatch(/rgba\(0, 0, 0, 0\.[5-9]/);

    // Zoomed in, the image overflows the viewer: the letters stay at the viewer's edges, still in sight.
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await expect.poll(() => page.locator('.zoom').textContent()).toBe('244 %');
    const zoomed = await letters();
    for (const [edge, l] of Object.entries(zoomed)) expect(inside(l.box, viewer), edge).toBe(true);
    expect(zoomed['left']!.box.x - viewer.x).toBeLessThan(12);
    expect(viewer.x + viewer.width - (zoomed['right']!.box.x + zoomed['right']!.box.width)).toBeLessThan(12);
    expect(zoomed['top']!.box.y - viewer.y).toBeLessThan(12);
    await page.keyboard.press('0');
    await expect.poll(() => page.locator('.zoom').textContent()).toBe('100 %');
    await page.mouse.move(viewer.x + viewer.width / 2, viewer.y + viewer.height / 2);
    const screenshot = artifactPath('scanner-sagittal-nifti.png');
    await page.screenshot({ path: screenshot });
    expect(existsSync(screenshot)).toBe(true);
    // `BRAINSEG_UPDATE_SCREENSHOTS=1 npx vitest run test/e2e/scanner-formats.e2e.test.ts` refreshes docs/ (a run
    // never rewrites a committed file by itself).
    if (process.env['BRAINSEG_UPDATE_SCREENSHOTS'] === '1') copyFileSync(screenshot, path.join(REPO_ROOT, 'docs/screenshots/scanner-sagittal-nifti.png'));
  });

  it('draws the slice resliced back to axial: the image layer equals the TIFF\'s FLAIR at the default window', async () => {
    await openPatient(SCAN);
    const lut = windowLookup(FULL_RANGE);
    for (const key of [null, 'ArrowDown', 'ArrowDown']) {
      if (key) {
        const before = await shownSliceNumber(page);
        await page.keyboard.press(key);
        await expect.poll(() => shownSliceNumber(page)).toBe(before + 1);
      }
      const number = await shownSliceNumber(page);
      const tiff = (await readSampleSlice(CASE, number)).image;
      await expect.poll(async () => {
        const drawn = await drawnGrey(page);
        let off = 0;
        for (let i = 0; i < SIZE.width * SIZE.height; i++) if (Math.abs(drawn[i]! - lut[tiff.data[i * tiff.channels + 1]!]!) > 1) off++;
        return off;
      }, { message: `slice ${number}`, timeout: 10_000 }).toBe(0);
    }
  });

  it('shows window/level and the pixel readout in the source\'s units for the channel on screen', async () => {
    await openPatient(SCAN);
    const fields = async () => [await page.getByLabel('Window value').inputValue(), await page.getByLabel('Level value').inputValue()];
    // FLAIR (by default): 8-bit 0…255 stand for 100…610, so the full window is 512 wide about 356.
    expect(await fields()).toEqual(['512', '356']);
    expect(Number(await page.getByLabel('Level', { exact: true }).inputValue())).toBe(356);
    // A level typed in source units is taken as such, and drawn: 300 is 8-bit 100, mid-grey.
    await page.getByLabel('Level value').fill('300');
    await page.getByLabel('Level value').press('Tab');
    expect(await fields()).toEqual(['512', '300']);
    await page.getByLabel('Window value').fill('200');
    await page.getByLabel('Window value').press('Tab');
    expect(await fields()).toEqual(['200', '300']);
    // W resets, in the same units.
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('w');
    await expect.poll(fields).toEqual(['512', '356']);

    // The readout under a known pixel: its FLAIR value as stored in the NIfTI (2·v + 100), not the 8-bit one.
    const number = await shownSliceNumber(page);
    const tiff = (await readSampleSlice(CASE, number)).image;
    const at = firstPixel(tiff, 1, (v) => v >= 100 && v <= 150);
    const [x, y] = [at % SIZE.width, Math.floor(at / SIZE.width)];
    const value = (c: number) => tiff.data[at * tiff.channels + c]!;
    await hoverPixel(page, x, y);
    await expect.poll(() => page.getByTestId('cursor-readout').textContent()).toMatch(new RegExp(`^x ${x}, y ${y} · value ${flairSource(value(1))}( |$)`));
    // Post-contrast (3): its own units (stored as 0…255 with a full range, so its own values).
    await page.keyboard.press('3');
    await expect.poll(() => page.getByTestId('cursor-readout').textContent()).toMatch(new RegExp(`· value ${value(2)}( |$)`));
    expect(await fields()).toEqual(['256', '128']);
    // The RGB composite keeps 0–255: the three 8-bit values.
    await page.keyboard.press('4');
    await expect.poll(() => page.getByTestId('cursor-readout').textContent()).toMatch(new RegExp(`· value ${value(0)} / ${value(1)} / ${value(2)}( |$)`));
    expect(await fields()).toEqual(['256', '128']);
    await page.keyboard.press('2');
    await expect.poll(fields).toEqual(['512', '356']);
  });

  it('tells about a patient\'s import warnings unobtrusively: a sign in the list, a line under the image', async () => {
    await importThrough(flairOnlyRoot);
    const dialog = page.getByRole('dialog', { name: 'Import' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(new RegExp(`Imported 1 new patients, 20 slices .* ⚠ ${FLAIR_ONLY}: no T1`));
    const sign = page.locator(`tr[data-case-id="${FLAIR_ONLY}"] [data-testid="patient-warning"]`);
    await expect.poll(() => sign.count()).toBe(1);
    expect(await sign.getAttribute('title')).toMatch(/no T1 pre-contrast.*FLAIR/);
    await openPatient(FLAIR_ONLY);
    expect(await page.getByTestId('scan-warnings').textContent()).toMatch(/⚠ .*no T1 pre-contrast/);
    // The channels filled with FLAIR read out in FLAIR's units.
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('1');
    await expect.poll(() => page.getByLabel('Level value').inputValue()).toBe('356');
    await page.keyboard.press('2');
  }, 120_000);

  it('exports the masks as NIfTI from the export dialog: one file per patient, on the sagittal source\'s grid', async () => {
    const out = path.join(tempDir.persistent(), 'export');
    await page.getByLabel('Export to folder').fill(out);
    await page.getByRole('button', { name: 'Export masks…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.getByLabel('Export format').selectOption('nifti');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(new RegExp(`Exported \\d+ patients .* to ${out} · wrote .*${SCAN}_seg\\.nii\\.gz`));
    const file = path.join(out, `${SCAN}_seg.nii.gz`);
    expect(existsSync(file)).toBe(true);
    const written = JSON.parse(runFixtureScript('make_ui_case.py', ['shape', file])) as { shape: number[]; nonzero: number };
    expect(written.shape).toEqual(sagittal.shape);
    expect(written.nonzero).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 120_000);
});

/** The grey level the image layer shows at the centre of every image pixel (the canvas, not the source). */
function drawnGrey(page: Page): Promise<number[]> {
  return page.evaluate(({ width, height }) => {
    interface KonvaNode { x(): number; y(): number; scaleX(): number; getLayer(): { getCanvas(): { getPixelRatio(): number; _canvas: HTMLCanvasElement } } }
    const node = (window as unknown as { Konva: { stages: { findOne(s: string): KonvaNode }[] } }).Konva.stages[0]!.findOne('.image');
    const canvas = node.getLayer().getCanvas();
    const ratio = canvas.getPixelRatio();
    const element = canvas._canvas;
    const pixels = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
    const out: number[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const cx = Math.floor((node.x() + (x + 0.5) * node.scaleX()) * ratio);
        const cy = Math.floor((node.y() + (y + 0.5) * node.scaleX()) * ratio);
        out.push(pixels[(cy * element.width + cx) * 4]!);
      }
    }
    return out;
  }, SIZE);
}

/** The index of the first pixel (row by row) whose value in one channel passes a test. */
function firstPixel(image: { width: number; height: number; channels: number; data: Uint8Array }, channel: number, test: (v: number) => boolean): number {
  for (let i = 0; i < image.width * image.height; i++) if (test(image.data[i * image.channels + channel]!)) return i;
  throw new Error('no such pixel');
}

/** Moves the mouse over the centre of an image pixel. */
async function hoverPixel(page: Page, x: number, y: number): Promise<void> {
  const box = (await page.getByTestId('viewer').boundingBox())!;
  const node = await page.evaluate(() => {
    const n = (window as unknown as { Konva: { stages: { findOne(s: string): { x(): number; y(): number; scaleX(): number } }[] } }).Konva.stages[0]!.findOne('.image');
    return { x: n.x(), y: n.y(), scale: n.scaleX() };
  });
  await page.mouse.move(box.x + node.x + (x + 0.5) * node.scale, box.y + node.y + (y + 0.5) * node.scale);
}
