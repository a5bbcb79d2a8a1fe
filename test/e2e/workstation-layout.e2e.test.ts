// The workstation as a radiologist sees it at 1280×720 and 1920×1080: tools greyed out until a patient is open,
// a large image with the tools in a column beside it and toolbars of one row (two for the view controls on a
// laptop), words instead of abbreviations, ISO dates, a legend for every colour on screen, errors where the eye is,
// numbers a radiologist uses (lesion area and volume against the stored masks, window/level), and a view that
// survives a reload. It also takes the README's screenshots.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERLAY_COLOURS } from '../../renderer/src/logic/overlay-colours.js';
import { COLORS } from '../../src/editing/overlays.js';
import { artifactPath, chromiumAvailable, shownSliceNumber, sliceCaption, openWorkstation, type OpenWorkstation, storedPredictionCaption } from '../helpers/browser.js';
import { makeSampleSubset, REPO_ROOT } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const FIRST = 'TCGA_CS_6665_20010817';
const SECOND = 'TCGA_HT_7602_19951103';
const run = chromiumAvailable();

/** The vertical extent of an element, or null when it is not rendered. */
async function box(page: Page, selector: string) {
  return page.locator(selector).first().boundingBox();
}

/** The control is drawn wholly inside the row (not scrolled or cut out of it). */
async function expectInside(control: Locator, row: { x: number; y: number; width: number; height: number }, name: string): Promise<void> {
  const drawn = await control.boundingBox();
  expect(drawn, name).not.toBeNull();
  const at = drawn!;
  expect(at.x, name).toBeGreaterThanOrEqual(row.x);
  expect(at.x + at.width, name).toBeLessThanOrEqual(row.x + row.width);
  expect(at.y + at.height, name).toBeLessThanOrEqual(row.y + row.height);
}

describe.runIf(run)('the workstation at a laptop\'s size (brainseg serve + Chromium, 1280×720)', () => {
  let workstation: OpenWorkstation;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    home = tempDir.persistent();
    // The shipped model, as a user gets it: predictions and the model panel's dates are part of what is checked.
    workstation = await openWorkstation(home, { width: 1280, height: 720 }, { BRAINSEG_BUNDLED_MODEL: '' });
    page = workstation.page;
  });

  afterAll(() => workstation?.close());

  it('greys the editing tools out until a patient is open, and says why', async () => {
    for (const [toolbar, names] of [['Editing tools', ['Brush', 'Eraser', 'Lasso']], ['Slice actions', ['Accept prediction', 'Clear']]] as const) {
      const bar = page.getByRole('toolbar', { name: toolbar });
      for (const name of names) {
        await expect.poll(() => bar.getByRole('button', { name, exact: true }).isDisabled(), { message: name }).toBe(true);
      }
      expect(await bar.getAttribute('title')).toMatch(/Open a patient/);
    }
  });

  it('shows an import error where the eye is, in red, until it is closed', async () => {
    await page.getByLabel('Folder path').fill('/no/such/folder');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const toast = page.getByTestId('toast');
    await expect.poll(() => toast.getAttribute('data-kind')).toBe('error');
    expect(await toast.textContent()).toMatch(/no such folder: \/no\/such\/folder/);
    // Over the image, not in the footer only.
    const viewer = (await box(page, '[data-testid="viewer"]'))!;
    const message = (await toast.boundingBox())!;
    expect(message.y).toBeGreaterThanOrEqual(viewer.y - 1);
    expect(message.y + message.height).toBeLessThanOrEqual(viewer.y + viewer.height + 1);
    await page.waitForTimeout(5500); // longer than an info message stays: an error does not fade
    expect(await toast.count()).toBe(1);
    await toast.getByRole('button', { name: 'Close message' }).click();
    expect(await toast.count()).toBe(0);
  });

  it('opens a patient with a large image, toolbars of one row (the view controls two at most), every tool and action in sight and enabled; the threshold brush\'s options do not move the image', async () => {
    await page.getByLabel('Folder path').fill(makeSampleSubset(tempDir.persistent(), [FIRST, SECOND]));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(storedPredictionCaption(1, FIRST));
    expect(await page.getByRole('toolbar', { name: 'Editing tools' }).getByRole('button', { name: 'Brush', exact: true }).isDisabled()).toBe(false);

    const canvas = (await box(page, '[data-testid="viewer"] canvas'))!;
    expect(canvas.height).toBeGreaterThanOrEqual(500);
    // The header is one row (a row is ~30 px; five wrapped rows were the complaint); the view controls at most two,
    // so that no overlay switch or zoom control is out of sight (they had scrolled out).
    expect((await box(page, '.toolbar'))!.height).toBeLessThan(60);
    const viewRow = (await box(page, '.view-controls'))!;
    expect(viewRow.height).toBeLessThan(90);
    for (const label of ['Channel', 'Window value', 'Level value', 'Mask overlay', 'Mask opacity', 'Prediction overlay', 'Prediction style', 'Difference overlay', 'Changes overlay']) {
      await expectInside(page.getByLabel(label, { exact: true }), viewRow, label);
    }
    await expectInside(page.locator('.view-controls').getByRole('button', { name: 'Fit', exact: true }), viewRow, 'Fit');
    // Every tool and every slice action in the column beside the image, none scrolled or cut out of sight (on a
    // laptop they had scrolled out of one long row), and every column of the patient list.
    const palette = (await box(page, '.tool-palette'))!;
    const tools = page.getByRole('toolbar', { name: 'Editing tools' });
    for (const name of ['Navigate', 'Brush', 'Eraser', 'Threshold brush', 'Prediction brush', 'Fill', 'Lasso']) {
      await expectInside(tools.getByRole('button', { name, exact: true }), palette, name);
    }
    await expectInside(page.getByLabel('Brush size'), palette, 'Brush size');
    const editRow = (await box(page, '.tool-column'))!;
    const actions = page.getByRole('toolbar', { name: 'Slice actions' });
    for (const name of ['Accept prediction', 'Fill holes', '↑ copy', '↓ copy', 'Clear', 'Undo', 'Redo', '?']) {
      await expectInside(actions.getByRole('button', { name, exact: true }), editRow, name);
    }
    expect((await page.getByTestId('save-state').boundingBox())!.width).toBeGreaterThan(0);
    await expectInside(page.getByTestId('save-state'), editRow, 'save state');
    const sidebar = await page.locator('.sidebar').evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
    expect(sidebar.scroll, 'the patient list fits its panel').toBeLessThanOrEqual(sidebar.client);
    const split = (await page.locator('.patients thead th', { hasText: 'Split' }).boundingBox())!;
    expect(split.x + split.width).toBeLessThanOrEqual(sidebar.client);

    await page.keyboard.press('t');
    const high = page.getByLabel('Threshold high');
    const hint = page.locator('.tool-palette .hint');
    // Before a stroke the window comes from the first pixel painted; either way the image does not move.
    const withWindow = (await box(page, '[data-testid="viewer"] canvas'))!;
    expect(withWindow.y).toBeCloseTo(canvas.y, 0);
    expect(withWindow.x).toBeCloseTo(canvas.x, 0);
    expect((await high.count()) + (await hint.count())).toBeGreaterThan(0);
    await page.keyboard.press('v');

    // `\` folds the side panels away: the image gets wider and taller room.
    await page.keyboard.press('\\');
    await expect.poll(async () => (await box(page, '[data-testid="viewer"]'))!.width).toBeGreaterThan(canvas.width + 200);
    await page.keyboard.press('\\');
  });

  it('spells its words out and writes dates in ISO order', async () => {
    const headers = (await page.locator('.patients thead th').allTextContents()).map((t) => t.trim());
    expect(headers).toEqual(['Patient', 'Slices', 'Lesion', 'Edited', 'Split']);
    const body = (await page.locator('body').innerText());
    expect(body).not.toMatch(/\b(Sl|Les|Ed)\./);
    expect(body).toMatch(/model unsure on about \d+ px|model sure everywhere|Predict this patient to get suggestions/);
    expect(body).not.toMatch(/px-equivalent/);
    // The history panel (the imported version) and the models panel (the bundled model) date their rows.
    await expect.poll(() => page.locator('.history tr[data-version-id]').count()).toBeGreaterThan(0);
    // The models panel keeps its date in the model cell's tooltip, so the table fits the column at 1440×900.
    const modelDate = (await page.locator('.models tbody td.model-id').first().getAttribute('title')) ?? '';
    for (const [panel, text] of [['.history tbody', await page.locator('.history tbody').innerText()], ['.models tbody', modelDate]] as const) {
      expect(text, panel).toMatch(/\b20\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d\b/);
      expect(text, panel).not.toMatch(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/);
    }
  });

  it('has a legend for each colour on screen, in the colours drawn', async () => {
    const legend = page.getByLabel('Legend');
    const swatch = async (text: string) => legend.locator('span', { hasText: text }).locator('i').evaluate((el) => getComputedStyle(el).backgroundColor);
    const rgb = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;
    expect(await swatch('mask')).toBe(rgb(COLORS.mask));
    expect(await swatch('prediction')).toBe(rgb(COLORS.prediction));
    expect(await legend.innerText()).not.toMatch(/predicted, not in mask/);
    await page.keyboard.press('d');
    expect(await swatch('predicted, not in mask')).toBe(rgb(OVERLAY_COLOURS.predictedNotInMask));
    expect(await swatch('in mask, missed')).toBe(rgb(OVERLAY_COLOURS.inMaskMissed));
    await page.keyboard.press('d');
    expect(await legend.innerText()).toMatch(/lesion slice.*edited/s);
    await page.keyboard.press('m');
    expect(await legend.innerText()).not.toMatch(/^mask|\smask\b/);
    await page.keyboard.press('m');
  });

  it('gives the lesion area of the shown slice and the patient\'s volume from the stored masks, in mm² and mL once the spacing is entered', async () => {
    const number = await shownSliceNumber(page);
    // The truth: each slice's current mask version in the catalog.
    const catalog = new Database(path.join(home, 'catalog.sqlite'), { readonly: true });
    const areas = catalog.prepare(
      `SELECT s.number AS number, m.pixels AS pixels FROM slices s JOIN patients p ON p.id = s.patient_id
         JOIN masks m ON m.id = (SELECT MAX(id) FROM masks WHERE slice_id = s.id) WHERE p.case_id = ?`,
    ).all(FIRST) as { number: number; pixels: number }[];
    catalog.close();
    const area = areas.find((a) => a.number === number)!.pixels;
    const volume = areas.reduce((sum, a) => sum + a.pixels, 0);
    expect(area).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('lesion-area').textContent()).toMatch(new RegExp(`area ${area} px · patient volume ${volume} voxels`));

    await page.getByLabel('Pixel size (mm)').fill('0.5');
    await page.getByLabel('Slice spacing (mm)').fill('3');
    await page.getByTestId('slice-caption').getByRole('button', { name: 'Set' }).click();
    const mm2 = area * 0.25;
    const ml = (volume * 0.25 * 3) / 1000;
    await expect.poll(() => page.getByTestId('lesion-area').textContent()).toMatch(new RegExp(`${mm2.toFixed(1).replace('.', '\\.')} mm².*${ml.toFixed(2).replace('.', '\\.')} mL`));
  });

  it('shows window/level as numbers that can be typed, and the image follows them', async () => {
    const centre = async () => page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="viewer"] canvas') as HTMLCanvasElement;
      const context = canvas.getContext('2d')!;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i]! + data[i + 1]! + data[i + 2]!;
      return sum;
    });
    await page.keyboard.press('m');
    await page.keyboard.press('p');
    // The image as it settles: a background prediction arriving now redraws the layer once more.
    let before = await centre();
    for (let again = await centre(); again !== before; again = await centre()) {
      before = again;
      await page.waitForTimeout(100);
    }
    await page.getByLabel('Window value').fill('60');
    await page.getByLabel('Level value').fill('40');
    await page.getByLabel('Level value').press('Tab');
    expect(Number(await page.getByLabel('Window', { exact: true }).inputValue())).toBe(60);
    expect(Number(await page.getByLabel('Level', { exact: true }).inputValue())).toBe(40);
    await expect.poll(centre).not.toBe(before);
    await page.keyboard.press('w'); // back to the full range
    await expect.poll(centre).toBe(before);
    await page.keyboard.press('m');
    await page.keyboard.press('p');
  });

  it('keeps the patient and slice across a reload (they are in the URL)', async () => {
    await page.locator(`tr[data-case-id="${SECOND}"]`).click();
    await expect.poll(() => sliceCaption(page)).toMatch(new RegExp(SECOND));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const number = await shownSliceNumber(page);
    await expect.poll(() => page.url()).toMatch(new RegExp(`slice=${number}`));
    await page.reload();
    await expect.poll(() => sliceCaption(page), { timeout: 30_000 }).toMatch(new RegExp(`${SECOND} · slice ${number} of`));
    // Both imported patients were predicted in the background meanwhile: the reopened one shows its prediction.
    await expect.poll(() => sliceCaption(page), { timeout: 60_000 }).toMatch(storedPredictionCaption(1));
  });

  it('takes the README\'s screenshots at 1280×720 and 1920×1080', async () => {
    await page.keyboard.press('d');
    await page.screenshot({ path: artifactPath('workstation-1280x720.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    const canvas = (await box(page, '[data-testid="viewer"] canvas'))!;
    expect(canvas.height).toBeGreaterThan(600);
    expect((await box(page, '.view-controls'))!.height, 'one row of view controls on a wide screen').toBeLessThan(60);
    await page.screenshot({ path: artifactPath('workstation-1920x1080.png') });
    // `BRAINSEG_UPDATE_SCREENSHOTS=1 npx vitest run test/e2e/workstation-layout.e2e.test.ts` refreshes docs/.
    if (process.env['BRAINSEG_UPDATE_SCREENSHOTS'] === '1') {
      for (const name of ['workstation-1280x720.png', 'workstation-1920x1080.png']) copyFileSync(artifactPath(name), path.join(REPO_ROOT, 'docs/screenshots', name));
    }
  });
});
