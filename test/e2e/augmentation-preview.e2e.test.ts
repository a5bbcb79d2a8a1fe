// Issue 31 item 13: the training panel's augmentation settings are editable, and "Preview" draws the slice on screen
// with its mask under random draws of them. Checked against the truth: the request carries the edited values, each
// drawn tile's canvas pixels are exactly the image and mask the server returned (mask blended in red), the unaugmented
// tile's mask is the slice's stored mask (`brainseg masks … --save`) at the network's input size, and the edited
// settings show in every draw (flip 1: every draw mirrored; rotation within the edited bound).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import type { AugmentationPreview, PreviewTile } from '../../src/contract/index.js';
import { decodeWire } from '../../src/contract/wire.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { resizeMaskNearest } from '../../src/ml/preprocess.js';
import { artifactPath, chromiumAvailable, openWorkstation, shownSliceNumber, sliceCaption, type OpenWorkstation } from '../helpers/browser.js';
import { storedMask } from '../helpers/drawn-overlay.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENT = 'TCGA_CS_6666_20011109';
const run = chromiumAvailable();

/** What the test expects a tile's canvas to hold, computed here from the returned data, not by the renderer's code. */
function expectedRgba(tile: PreviewTile, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const red = [255, 0, 0];
    for (let k = 0; k < 3; k++) out[i * 4 + k] = tile.mask[i] ? Math.floor((tile.image[i * 3 + k]! + red[k]!) / 2) : tile.image[i * 3 + k]!;
    out[i * 4 + 3] = 255;
  }
  return out;
}

describe.runIf(run)('the augmentation preview shows what the trainer will see', () => {
  let workstation: OpenWorkstation;
  let page: Page;
  let home: string;
  const previews: AugmentationPreview[] = [];
  const asked: Record<string, unknown>[] = [];

  beforeAll(async () => {
    home = tempDir.persistent();
    const db = await openCatalog(resolveHome(home).catalog);
    await importPath(db, makeSampleSubset(tempDir.persistent(), [PATIENT]));
    await db.destroy();
    // No model: nothing is predicted in the background, which keeps the shared machine free for the preview.
    workstation = await openWorkstation(home, { width: 1440, height: 900 }, { BRAINSEG_BUNDLED_MODEL: 'none' });
    page = workstation.page;
    page.on('websocket', (ws) => {
      ws.on('framesent', ({ payload }) => {
        const message = decodeWire(String(payload)) as { name?: string; args?: Record<string, unknown> };
        if (message.name === 'training:augmentation-preview') asked.push(message.args!);
      });
      ws.on('framereceived', ({ payload }) => {
        const message = decodeWire(String(payload)) as { result?: { draws?: unknown } };
        if (message.result && typeof message.result === 'object' && 'draws' in message.result) previews.push(message.result as AugmentationPreview);
      });
    });
    await page.reload(); // the listener is on before the page's WebSocket opens
  }, 120_000);

  afterAll(() => workstation?.close());

  it('edits a setting, previews, and draws each tile as the server returned it', async () => {
    await page.locator(`tr[data-case-id="${PATIENT}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 30_000 }).toContain(PATIENT);
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // from the first lesion slice into the lesion
    await expect.poll(() => sliceCaption(page)).toMatch(/slice \d+ of/);
    const number = await shownSliceNumber(page);

    const settings = page.getByTestId('augmentation-settings');
    await settings.locator('summary').click();
    // The defaults are today's training defaults.
    expect(await settings.getByLabel('Augmentation: Flip').inputValue()).toBe('0.5');
    expect(await settings.getByLabel('Augmentation: Rotation ±°').inputValue()).toBe('15');
    await settings.getByLabel('Augmentation: Flip').fill('1');
    await settings.getByLabel('Augmentation: Rotation ±°').fill('30');
    await settings.getByRole('button', { name: 'Preview' }).click();

    const grid = page.getByTestId('augmentation-preview');
    await grid.waitFor({ timeout: 60_000 });
    await expect.poll(() => previews.length).toBe(1);
    expect(asked[0]).toMatchObject({ augmentation: { flipProbability: 1, rotationDegrees: 30, scale: 0.05, intensity: 0.1 }, count: 8 });
    const preview = previews[0]!;
    const { size } = preview;
    expect(size).toBe(128); // the fast preset's input size

    // The unaugmented tile's mask is the slice's stored mask, as the trainer resizes it.
    const truth = await storedMask(home, PATIENT, number);
    expect(truth.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    const side = Math.sqrt(truth.length);
    expect(Buffer.from(preview.original.mask).equals(Buffer.from(resizeMaskNearest(truth, side, side, size, size)))).toBe(true);

    // The edited settings reached the draws: all flipped, rotations within ±30°.
    expect(preview.draws).toHaveLength(8);
    for (const draw of preview.draws) {
      expect(draw.flip).toBe(true);
      expect(Math.abs(draw.rotationDegrees)).toBeLessThanOrEqual(30);
      expect(draw.mask.reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // the lesion moved with the image, it did not vanish
    }

    // Every canvas holds its tile's data, pixel for pixel.
    const tiles: [string, PreviewTile][] = [['original', preview.original], ...preview.draws.map((d, i): [string, PreviewTile] => [String(i), d])];
    for (const [name, tile] of tiles) {
      const drawn = await page.evaluate((tileName) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-tile="${tileName}"]`)!;
        return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
      }, name);
      const expected = expectedRgba(tile, size);
      let wrong = 0;
      for (let i = 0; i < expected.length; i++) if (drawn[i] !== expected[i]) wrong++;
      expect(wrong, `tile ${name}: pixels unlike the returned data`).toBe(0);
    }
    await page.getByRole('dialog', { name: 'Augmentation preview' }).screenshot({ path: artifactPath('augmentation-preview.png') });

    // Draw again: a new request, new random draws.
    await page.getByRole('button', { name: 'Draw again' }).click();
    await expect.poll(() => previews.length, { timeout: 60_000 }).toBe(2);
    expect(previews[1]!.draws.map((d) => d.rotationDegrees)).not.toEqual(preview.draws.map((d) => d.rotationDegrees));
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await grid.count()).toBe(0);
  }, 240_000);
});
