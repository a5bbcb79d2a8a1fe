// The Models panel scores every model on the same patients (issue #31 item 4) and the lightbox shows each slice's
// Dice and BCE (item 15), checked in Chromium against figures computed without the server: `brainseg eval` on the
// validation patient's TIFF folder in another data folder holding the same two models, and each slice's Dice of the
// stored prediction against the TIFF mask.
import { inflateRawSync } from 'node:zlib';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPatients } from '../../src/catalog/patients.js';
import { importPath } from '../../src/importer/import.js';
import { dice } from '../../src/ml/metrics.js';
import { artifactPath, chromiumAvailable, openWorkstation, storedPredictionCaption, sliceCaption, type OpenWorkstation } from '../helpers/browser.js';
import { runCliJson } from '../helpers/cli.js';
import { makeSampleSubset, readSampleSlice } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';
import { folderWithTwoModels } from '../helpers/two-models.js';

const PATIENTS = ['TCGA_CS_6667_20011105', 'TCGA_HT_7602_19951103'];
const run = chromiumAvailable();

/** The panel's "Dice here" cell of a model once scored: its exact figure and what it reads. */
async function scoredCell(page: Page, modelId: number): Promise<{ dice: number; text: string }> {
  const cell = page.locator(`[data-model-id="${modelId}"] [data-testid="validation-dice"]`);
  await expect.poll(() => cell.getAttribute('data-state'), { timeout: 240_000 }).toBe('scored');
  return { dice: Number(await cell.getAttribute('data-dice')), text: (await cell.textContent()) ?? '' };
}

describe.runIf(run)('models scored on the same patients, and per-slice figures', () => {
  let workstation: OpenWorkstation;
  let page: Page;
  let home: string;
  let validation: string;
  const evalDice = new Map<number, number>();
  /** Each slice's Dice of model 1's stored prediction against its TIFF mask (null: both empty), and BCE as shown. */
  const truthBySlice = new Map<number, { dice: number | null; bce: string }>();

  beforeAll(async () => {
    home = tempDir.persistent();
    const { db } = await folderWithTwoModels(home);
    await importPath(db, makeSampleSubset(path.join(tempDir.persistent(), 'kaggle_3m'), PATIENTS));
    const held = (await listPatients(db)).filter((p) => p.split === 'validation');
    await db.destroy();
    expect(held).toHaveLength(1);
    validation = held[0]!.caseId;
    // The truth, from the CLI in a data folder that has the same models but not these patients.
    const other = tempDir.persistent();
    await (await folderWithTwoModels(other)).db.destroy();
    const folder = makeSampleSubset(path.join(tempDir.persistent(), 'kaggle_3m'), [validation]);
    for (const modelId of [1, 2]) {
      const { code, json } = await runCliJson<{ mean: number; patients: { id: string }[] }>(other, ['eval', folder, '--model', String(modelId), '--json']);
      expect(code).toBe(0);
      expect(json.patients.map((p) => p.id)).toEqual([validation]);
      evalDice.set(modelId, json.mean);
    }
    workstation = await openWorkstation(home, { width: 1440, height: 900 }, { BRAINSEG_BUNDLED_MODEL: '' });
    page = workstation.page;
  }, 300_000);

  afterAll(() => workstation?.close());

  it("shows both models' Dice on this folder's one validation patient, the count, the warning and the card's figure apart", async () => {
    const count = page.getByTestId('validation-patients');
    await expect.poll(() => count.getAttribute('data-count'), { timeout: 60_000 }).toBe('1');
    expect(await count.getAttribute('title')).toBe(validation);
    expect(await count.textContent()).toMatch(/same 1 validation patient of this folder/);
    expect(await page.getByTestId('validation-warning').textContent()).toMatch(/Only 1 validation patient: differences between models/);
    for (const modelId of [1, 2]) {
      const { dice: shown, text } = await scoredCell(page, modelId);
      expect(shown).toBeCloseTo(evalDice.get(modelId)!, 9);
      expect(text).toBe(`${(evalDice.get(modelId)! * 100).toFixed(1)} %`);
    }
    expect(evalDice.get(1)).not.toBeCloseTo(evalDice.get(2)!, 3);
    // The card's own figure stays in its own column, labelled as the card's, on its own 20 patients.
    expect(await page.locator('[data-model-id="1"] .own-figure').textContent()).toBe('84.7 % (card, 20 pts)');
    expect(await page.locator('[data-model-id="2"] .own-figure').textContent()).toBe('90.0 % (at training)');
    await page.locator('.models').screenshot({ path: artifactPath('models-panel-scores.png') });
  }, 300_000);

  it("shows the open patient's Dice under the model before and after a change of model", async () => {
    await page.locator(`tr[data-case-id="${validation}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 120_000 }).toMatch(storedPredictionCaption(1, validation));
    await page.locator('[data-model-id="2"] button', { hasText: 'Activate' }).click();
    const line = page.getByTestId('patient-before-after');
    await expect.poll(() => line.getAttribute('data-after'), { timeout: 120_000 }).not.toBe('');
    // One patient open, the validation one: its per-volume Dice under each model is `brainseg eval`'s figure.
    expect(Number(await line.getAttribute('data-before'))).toBeCloseTo(evalDice.get(1)!, 9);
    expect(Number(await line.getAttribute('data-after'))).toBeCloseTo(evalDice.get(2)!, 9);
    expect(await line.textContent()).toBe(`This patient: Dice ${(evalDice.get(1)! * 100).toFixed(1)} % with model 1 → ${(evalDice.get(2)! * 100).toFixed(1)} % with model 2`);
    await page.locator('[data-model-id="1"] button', { hasText: 'Activate' }).click();
    await expect.poll(() => page.locator('[data-model-id="1"]').textContent()).toMatch(/active/);
  }, 300_000);

  it("prints each lightbox tile's Dice and BCE, the Dice equal to the stored prediction against the TIFF mask", async () => {
    await page.keyboard.press('x');
    await page.getByTestId('lightbox-scores').check();
    const tiles = page.getByTestId('slice-score');
    await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(20);
    await expect.poll(() => tiles.evaluateAll((els) => els.every((e) => !/…|not predicted/.test(e.textContent ?? '')))).toBe(true);
    const catalog = new Database(path.join(home, 'catalog.sqlite'), { readonly: true });
    const stored = catalog.prepare(`SELECT s.number AS number, p.probabilities AS probabilities FROM predictions p JOIN slices s ON s.id = p.slice_id
      JOIN patients pa ON pa.id = s.patient_id WHERE pa.case_id = ? AND p.model_id = 1 ORDER BY s.number`).all(validation) as { number: number; probabilities: Buffer }[];
    catalog.close();
    expect(stored).toHaveLength(20);
    let lesionTiles = 0;
    for (const { number, probabilities } of stored) {
      const tile = page.locator(`.lightbox-item[data-slice-number="${number}"] [data-testid="slice-score"]`);
      const predicted = new Uint8Array(inflateRawSync(probabilities)).map((v) => (v >= 128 ? 1 : 0));
      const { mask } = await readSampleSlice(validation, number);
      const empty = !predicted.some((v) => v) && !mask.some((v) => v);
      const text = (await tile.textContent()) ?? '';
      truthBySlice.set(number, { dice: empty ? null : dice(predicted, mask), bce: Number(await tile.getAttribute('data-bce')).toFixed(3) });
      if (empty) {
        expect(await tile.getAttribute('data-dice')).toBe('');
        expect(text).toMatch(/^Dice – · BCE \d\.\d{3}$/);
      } else {
        lesionTiles++;
        const truth = dice(predicted, mask);
        expect(Number(await tile.getAttribute('data-dice'))).toBeCloseTo(truth, 9);
        expect(text).toMatch(new RegExp(`^Dice ${truth.toFixed(2)} · BCE \\d\\.\\d{3}$`));
      }
    }
    expect(lesionTiles).toBeGreaterThan(3);
    await page.getByTestId('lightbox').screenshot({ path: artifactPath('lightbox-slice-scores.png') });
  }, 120_000);

  it('prints the same figures beside the Fix next suggestions when asked', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('suggestion-scores').check();
    const items = page.locator('.suggestions [data-suggested-slice]');
    const scores = page.locator('.suggestions [data-testid="slice-score"]');
    await expect.poll(() => scores.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => scores.evaluateAll((els) => els.every((e) => !/…|not predicted/.test(e.textContent ?? '')))).toBe(true);
    expect(await items.count()).toBe(await page.locator('.suggestions [data-testid="slice-score"]').count());
    for (const item of await items.all()) {
      const truth = truthBySlice.get(Number(await item.getAttribute('data-suggested-slice')))!;
      const text = await item.getByTestId('slice-score').textContent();
      expect(text).toBe(` (Dice ${truth.dice === null ? '–' : truth.dice.toFixed(2)} · BCE ${truth.bce})`);
    }
  }, 60_000);
});
