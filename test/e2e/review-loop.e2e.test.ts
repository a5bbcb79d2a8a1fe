// Issue #31, the review loop, in a browser tab on `brainseg serve`: the keys a browser leaves to the page (and the
// palette and help that show them), each overlay's own colours and legend, "fix next" that moves on, the lightbox's
// keys, messages that stay true, an import that keeps the user's place, settings that survive a reload, and a load
// without console errors. Two models with the same weights (the bundled one and a copy registered as a rejected
// retrain, as in rejected-retrain.e2e.test.ts) give the "model change" view a comparison without a training run.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERLAY_COLOURS } from '../../renderer/src/logic/overlay-colours.js';
import { COMMANDS } from '../../src/contract/commands.js';
import { bundledModelDir, ensureBundledModel } from '../../src/bundled/bundled-model.js';
import { openCatalog } from '../../src/catalog/db.js';
import { insertModel } from '../../src/catalog/models.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { chromiumAvailable, launchChromium, shownSliceNumber, sliceCaption, startServe, storedPredictionCaption, type ServeProcess } from '../helpers/browser.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const READ = 'TCGA_CS_6667_20011105';
const OTHER = 'TCGA_CS_6666_20011109';
const run = chromiumAvailable();
const rgb = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

/**
 * Colour classes of the tinted pixels (a grey slice has r = g = b) of the image's layer and the overlay layer over it
 * (heat map, difference, model change), by which channel leads.
 */
function tintClasses(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    interface Layer { getCanvas(): { _canvas: HTMLCanvasElement } }
    interface Node { getLayer(): Layer }
    const konva = (window as unknown as { Konva: { stages: { findOne(s: string): Node | undefined }[] } }).Konva;
    const layers = new Set(['.image', '.difference', '.changes'].map((name) => konva.stages[0]!.findOne(name)?.getLayer()).filter((l) => l !== undefined));
    const classes: Record<string, number> = {};
    for (const layer of Array.from(layers)) {
      const canvas = layer.getCanvas()._canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (Math.max(r, g, b) - Math.min(r, g, b) <= 30) continue;
        const order = [['r', r], ['g', g], ['b', b]].sort((x, y) => (y[1] as number) - (x[1] as number)).map((x) => x[0]).join('');
        classes[order] = (classes[order] ?? 0) + 1;
      }
    }
    return classes;
  });
}

describe.runIf(run)('the review loop (#31) in a browser', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  let dataset: string;
  const consoleErrors: string[] = [];

  const status = async () => (await page.getByTestId('status').textContent()) ?? '';
  const legend = () => page.getByTestId('overlay-legend');
  const swatch = (text: string) => legend().locator('span', { hasText: text }).locator('i').evaluate((el) => getComputedStyle(el).backgroundColor);
  const openPatient = async (caseId: string) => {
    await page.locator(`tr[data-case-id="${caseId}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(storedPredictionCaption('\\d+', caseId));
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } }); // keys go to the page, not the list
  };

  beforeAll(async () => {
    const home = resolveHome(tempDir.persistent());
    const db = await openCatalog(home.catalog);
    dataset = makeSampleSubset(tempDir.persistent(), [READ, OTHER]);
    await importPath(db, dataset);
    const bundled = await ensureBundledModel(db, home, bundledModelDir({}));
    if (bundled.kind !== 'registered') throw new Error(`the bundled model did not register: ${JSON.stringify(bundled)}`);
    const file = path.join('run-copy', 'model.bsm');
    mkdirSync(path.join(home.models, 'run-copy'), { recursive: true });
    copyFileSync(path.join(home.models, bundled.model.file), path.join(home.models, file));
    await insertModel(db, {
      parentId: bundled.model.id, preset: 'fast', config: bundled.model.config, metrics: {}, valDice: 0.6,
      backend: 'wasm', file, status: 'rejected', maskIds: [],
    }, false);
    await db.destroy();
    serve = await startServe(home.root, [], { BRAINSEG_BUNDLED_MODEL: 'none' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.stack ?? e.message));
    await page.goto(serve.url);
    await page.waitForSelector(`tr[data-case-id="${READ}"]`, { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('loads without a console error (the CSP blocks nothing of its own page)', async () => {
    await page.waitForTimeout(1000);
    expect(consoleErrors).toEqual([]);
  });

  it('shows and runs the keys of browser mode: help, tooltips, the palette, Shift+P / Shift+O', async () => {
    await openPatient(READ);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const row = (id: string) => help.locator(`tr[data-command="${id}"]`).innerText();
    expect(await row('model:retrain')).toContain('Shift+R');
    expect(await row('model:predict-patient')).toContain('Shift+P');
    expect(await row('model:show-models')).toContain('Shift+M');
    expect(await row('file:export-masks')).toContain('Shift+E');
    expect(await row('palette:open')).toContain('Ctrl+K');
    // No key a browser keeps for itself is shown.
    expect(await help.innerText()).not.toMatch(/Ctrl\+[RPME]\b/);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Predict this patient' }).getAttribute('title')).toMatch(/\(Shift\+P\)$/);
    expect(await page.getByRole('button', { name: 'Retrain on edits' }).getAttribute('title')).toMatch(/\(Shift\+R\)$/);

    // Ctrl+K lists every command with its key in this mode.
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await expect.poll(() => palette.locator('li').count()).toBe(COMMANDS.length - 2);
    expect(await palette.locator('[data-command="model:predict-patient"]').innerText()).toMatch(/Predict This Patient\s*Shift\+P/);
    await page.keyboard.type('predict this patient');
    await expect.poll(() => palette.locator('li').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => palette.count()).toBe(0);
    // It predicts, and the status speaks of the patient on screen: its own slice count.
    const total = Number(/of (\d+)/.exec(await sliceCaption(page))![1]);
    await expect.poll(status, { timeout: 120_000 }).toMatch(new RegExp(`predicted this patient's ${total} slices`));
    await page.keyboard.press('Shift+P');
    await expect.poll(status, { timeout: 60_000 }).toMatch(/Predicting/);
    await expect.poll(status, { timeout: 120_000 }).toMatch(new RegExp(`predicted this patient's ${total} slices`));
    // Shift+O: the import path field, since a browser has no folder dialog.
    await page.keyboard.press('Shift+O');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('import-path');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
  }, 300_000);

  it('draws the difference in its own colours, with a legend; model change is offered, not switched on', async () => {
    await page.keyboard.press('m'); // mask off, prediction outline off: only the difference tints the image
    await page.keyboard.press('p');
    await expect.poll(() => tintClasses(page)).toEqual({}); // the layers redraw after the keys, not at once
    await page.keyboard.press('d');
    expect(await swatch('predicted, not in mask')).toBe(rgb(OVERLAY_COLOURS.predictedNotInMask));
    expect(await swatch('in mask, missed')).toBe(rgb(OVERLAY_COLOURS.inMaskMissed));
    // Walk to a slice where they disagree: every tinted pixel is vermillion (r>g>b) or blue (b>g>r), never the old
    // pink (r>b>g) or green.
    let classes: Record<string, number> = {};
    for (let i = 0; i < 30 && Object.keys(classes).length === 0; i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(150);
      classes = await tintClasses(page);
    }
    expect(Object.keys(classes).length).toBeGreaterThan(0);
    for (const order of Object.keys(classes)) expect(['rgb', 'bgr']).toContain(order);
    await page.keyboard.press('d');
    await page.keyboard.press('m');
    await page.keyboard.press('p');

    // Activating the other model offers the change view (C) without switching it on; C's legend has its own colours.
    await page.locator('tr[data-model-id="2"] button', { hasText: 'Activate' }).click();
    await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toMatch(/Model 2 is active now: press C to see what it changed from model 1/);
    expect(await page.getByLabel('Changes overlay').isChecked()).toBe(false);
    expect(await legend().innerText()).not.toMatch(/adds|drops/);
    await page.keyboard.press('c');
    await expect.poll(() => legend().innerText()).toMatch(/model 2 adds \(vs model 1\).*model 2 drops \(vs model 1\)/s);
    expect(await swatch('adds')).toBe(rgb(OVERLAY_COLOURS.changeAdded));
    expect(await swatch('drops')).toBe(rgb(OVERLAY_COLOURS.changeDropped));
    await page.keyboard.press('c');
    // The offer of the rejected model is gone once it is active: nothing still says it is not.
    await expect.poll(() => page.getByTestId('rejected-offer').count()).toBe(0);
    await page.locator('tr[data-model-id="1"] button', { hasText: 'Activate' }).click();
    await expect.poll(() => page.locator('tr[data-model-id="1"]').textContent()).toMatch(/active/);
  }, 300_000);

  it('fix next: N moves on to slices not yet reviewed; an edited slice leaves the queue; the count goes down', async () => {
    const left = async () => Number(/^(\d+) of/.exec((await page.getByTestId('review-left').textContent()) ?? '')?.[1] ?? 0);
    await expect.poll(left, { timeout: 60_000 }).toBeGreaterThan(2);
    expect(await page.getByRole('region', { name: 'Suggested slices' }).innerText()).not.toMatch(/px-equivalent/);
    const before = await left();
    const drawn = () => page.locator('[data-shown-slice]').getAttribute('data-shown-slice');
    const start = await drawn();
    await page.keyboard.press('n');
    await expect.poll(() => page.locator('[data-suggested-slice]').count()).toBeGreaterThan(0);
    // N has taken the viewer to another slice and its image is drawn: a stroke before that lands on the slice
    // still on screen, the one it left.
    await expect.poll(drawn, { timeout: 30_000 }).not.toBe(start);
    const fixed = await shownSliceNumber(page);
    // A stroke on the slice: it is reviewed.
    await page.keyboard.press('b');
    const box = (await page.getByTestId('viewer').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toBe('All edits saved');
    await expect.poll(left).toBe(before - 1);
    await expect.poll(() => page.locator(`[data-suggested-slice="${fixed}"]`).count()).toBe(0);
    await page.keyboard.press('v');
    // N never comes back to it.
    const visited = new Set<number>();
    for (let i = 0; i < Math.min(before, 6); i++) {
      const at = await shownSliceNumber(page);
      await page.keyboard.press('n');
      await expect.poll(() => shownSliceNumber(page)).not.toBe(at);
      visited.add(await shownSliceNumber(page));
    }
    expect(visited.has(fixed)).toBe(false);
  }, 120_000);

  it('the lightbox: arrows move its pick, Esc and its button close it, edits wait, N closes it and goes', async () => {
    await openPatient(READ);
    consoleErrors.length = 0;
    await page.keyboard.press('x');
    const lightbox = page.getByTestId('lightbox');
    await expect.poll(() => lightbox.count()).toBe(1);
    const current = async () => Number(await lightbox.locator('.lightbox-item.current').getAttribute('data-slice-number'));
    const start = await current();
    await page.keyboard.press(start > 1 ? 'ArrowUp' : 'ArrowDown');
    const picked = start > 1 ? start - 1 : start + 1;
    await expect.poll(current).toBe(picked);
    await page.keyboard.press('Delete'); // an edit of a slice out of sight: refused, and said
    await expect.poll(status).toMatch(/Close the lightbox/);
    expect(await lightbox.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => lightbox.count()).toBe(0);
    expect(await shownSliceNumber(page)).toBe(picked);
    await page.keyboard.press('x');
    await page.getByTestId('lightbox-close').click();
    await expect.poll(() => lightbox.count()).toBe(0);
    await page.keyboard.press('x');
    await expect.poll(() => lightbox.count()).toBe(1);
    await page.keyboard.press('n');
    await expect.poll(() => lightbox.count()).toBe(0);
    await expect.poll(() => shownSliceNumber(page)).not.toBe(picked);
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('re-importing the folder keeps the patient and slice being read; an error fades from over the image', async () => {
    await openPatient(OTHER);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    const place = async () => /^(TCGA_\w+ · slice \d+ of \d+)/.exec(await sliceCaption(page))?.[1];
    const caption = await place();
    expect(caption).toMatch(/slice \d+ of/);
    await page.getByLabel('Folder path').fill(dataset);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/Imported 0 new patients/);
    await page.waitForTimeout(1000);
    expect(await place()).toBe(caption);

    await page.getByLabel('Folder path').fill(path.join(dataset, 'no-such-folder'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('toast').getAttribute('data-kind').catch(() => null), { timeout: 30_000 }).toBe('error');
    await expect.poll(() => page.getByTestId('toast').count(), { timeout: 15_000 }).toBe(0);
    // Still in the footer, even though background predictions (validation scoring) report their ends meanwhile.
    expect(await status()).toMatch(/^Error/);
    expect(await place()).toBe(caption);
  }, 120_000);

  it('a reload brings back window/level, the tool and the brush size, and logs no error', async () => {
    await page.getByLabel('Window value').fill('120');
    await page.getByLabel('Level value').fill('90');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } }); // keys to the page, not the field
    await page.keyboard.press('e');
    for (let i = 0; i < 3; i++) await page.keyboard.press(']');
    const centre = () => page.evaluate(() => {
      interface Node { getLayer(): { getCanvas(): { _canvas: HTMLCanvasElement } } }
      const konva = (window as unknown as { Konva: { stages: { findOne(s: string): Node | undefined }[] } }).Konva;
      const canvas = konva.stages[0]!.findOne('.image')!.getLayer().getCanvas()._canvas;
      const data = canvas.getContext('2d')!.getImageData(canvas.width / 2 - 8, canvas.height / 2 - 8, 16, 16).data;
      return Array.from(data).reduce((a, b) => a + b, 0) / data.length;
    });
    const shown = { window: await page.getByLabel('Window value').inputValue(), level: await page.getByLabel('Level value').inputValue(), radius: await page.getByLabel('Brush size').inputValue(), caption: await sliceCaption(page) };
    await page.keyboard.press('m');
    await page.keyboard.press('p');
    const drawn = await centre();
    consoleErrors.length = 0;
    await page.reload();
    await expect.poll(() => sliceCaption(page), { timeout: 60_000 }).toBe(shown.caption);
    expect(await page.getByLabel('Window value').inputValue()).toBe(shown.window);
    expect(await page.getByLabel('Level value').inputValue()).toBe(shown.level);
    expect(shown.window).toBe('120');
    expect(await page.getByLabel('Brush size').inputValue()).toBe(shown.radius);
    expect(await page.getByRole('button', { name: 'Eraser' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('m');
    await page.keyboard.press('p');
    // The slice is drawn under the restored window: the same brightness (under the default window it is not).
    await expect.poll(async () => Math.abs((await centre()) - drawn)).toBeLessThan(2);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
