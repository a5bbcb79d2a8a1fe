// Click to segment in Chromium (issue #29): K, a click inside the lesion, the proposal's outline drawn exactly as
// the server answered it (the drawn layer's pixels against the answer read off the WebSocket), Enter stores it as a
// 'click' version carrying the click, undo restores, Esc discards, a dragged box proposes inside itself and Enter
// stores it with the box, Shift+K propagates as one undoable operation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickProposalOverlay } from '../../src/editing/click-overlay.js';
import type { MaskBox } from '../../src/contract/index.js';
import { decodeWire } from '../../src/contract/wire.js';
import { nextClick } from '../../src/ml/interactive/clicks.js';
import { chromiumAvailable, launchChromium, shownSliceNumber, sliceCaption, startServe, type ServeProcess } from '../helpers/browser.js';
import { expectedOpaque, mismatches, opaquePixels, readDrawnLayer, storedMask, storedVersions } from '../helpers/drawn-overlay.js';
import { readSampleSlice, samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const CASE = 'TCGA_CS_6666_20011109';
const SIZE = { width: 256, height: 256 };
const PIXELS = SIZE.width * SIZE.height;

describe.runIf(chromiumAvailable())('click to segment in the browser', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  let home: string;
  const errors: string[] = [];
  /** Every clicks:propose answer the page received, in order. */
  const answers: { clicksUsed: number; mask: Uint8Array; box: MaskBox | null }[] = [];

  const versions = (number: number) => storedVersions(home, CASE, number);
  const saved = () => expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toBe('All edits saved');
  /** Where an image pixel's centre is on the page (the viewer's layout read from Konva's image node). */
  const pagePoint = (x: number, y: number) =>
    page.evaluate(({ x, y }) => {
      interface Node { x(): number; y(): number; scaleX(): number; getStage(): { container(): HTMLElement } }
      const konva = (window as unknown as { Konva: { stages: { findOne(s: string): Node | undefined }[] } }).Konva;
      const node = konva.stages[0]!.findOne('.image')!;
      const box = node.getStage().container().getBoundingClientRect();
      return { x: box.left + node.x() + (x + 0.5) * node.scaleX(), y: box.top + node.y() + (y + 0.5) * node.scaleX() };
    }, { x, y });
  /** Clicks an image pixel of the viewer. */
  const clickPixel = async (x: number, y: number, button: 'left' | 'right' = 'left') => {
    const at = await pagePoint(x, y);
    await page.mouse.click(at.x, at.y, { button });
  };

  beforeAll(async () => {
    home = tempDir.persistent();
    serve = await startServe(home, [], { BRAINSEG_BUNDLED_MODEL: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      const message = decodeWire(String(payload)) as { result?: { clicksUsed?: number; mask?: Uint8Array; box?: MaskBox | null } };
      const { clicksUsed, mask, box } = message.result ?? {};
      if (clicksUsed !== undefined && mask) answers.push({ clicksUsed, mask, box: box ?? null });
    }));
    await page.goto(serve.url);
    await page.getByLabel('Folder path').fill(samplePatientFolder(CASE));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForSelector('[data-shown-slice]', { timeout: 30_000 });
    // The patient's stored predictions (not only the preview), so the 0-click proposal is the stored one.
    for (let i = 0; i < 120 && !/prediction: model \d+(?! \(preview)/.test(await sliceCaption(page)); i++) await page.waitForTimeout(500);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('K, a click in the lesion: the outline drawn is the server\'s proposal; Enter stores it with the click; undo restores', async () => {
    const number = await shownSliceNumber(page);
    const { mask: truth } = await readSampleSlice(CASE, number);
    expect(truth.some((v) => v)).toBe(true); // the patient opens on a lesion slice
    const before = await storedMask(home, CASE, number);
    const click = nextClick(new Uint8Array(PIXELS), truth, SIZE.width, SIZE.height)!;
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('viewer').getAttribute('data-editor-path')).toBe('click.idle');
    await clickPixel(click.x, click.y);
    await expect.poll(() => answers.filter((a) => a.clicksUsed === 1).length, { timeout: 60_000 }).toBe(1);
    const proposal = answers.find((a) => a.clicksUsed === 1)!.mask;
    expect(proposal[click.y * SIZE.width + click.x]).toBe(1);
    const expected = expectedOpaque(clickProposalOverlay(proposal, [click], SIZE.width, SIZE.height), PIXELS);
    expect(expected.some((v) => v)).toBe(true);
    await expect.poll(async () => mismatches(opaquePixels(await readDrawnLayer(page, 'click-proposal', SIZE), PIXELS), expected), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('overlay-legend').textContent()).toContain('click proposal (Enter accepts, Esc discards)');

    await page.keyboard.press('Enter');
    await saved();
    const [latest] = await versions(number);
    expect(latest).toMatchObject({ operation: 'click', clicks: [click] });
    expect(mismatches(await storedMask(home, CASE, number), proposal)).toBe(0);
    expect(await readDrawnLayer(page, 'click-proposal', SIZE)).toBeNull(); // the proposal became the mask
    await expect.poll(async () => mismatches(opaquePixels(await readDrawnLayer(page, 'mask', SIZE), PIXELS), proposal)).toBe(0);

    await page.keyboard.press('Control+z');
    await saved();
    expect((await versions(number))[0]!.operation).toBe('undo');
    expect(mismatches(await storedMask(home, CASE, number), before)).toBe(0);
  }, 120_000);

  it('Esc discards the proposal without storing anything; a right click is a negative click', async () => {
    const number = await shownSliceNumber(page);
    const count = (await versions(number)).length;
    answers.length = 0;
    await clickPixel(20, 20, 'right');
    await expect.poll(() => answers.length, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await readDrawnLayer(page, 'click-proposal', SIZE)) !== null).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => readDrawnLayer(page, 'click-proposal', SIZE)).toBeNull();
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('Discarded the click proposal');
    expect((await versions(number)).length).toBe(count);
  }, 60_000);

  it('a box dragged around the lesion: the outline drawn is the server\'s proposal, inside the box; Enter stores it with the box', async () => {
    const number = await shownSliceNumber(page);
    const { mask: truth } = await readSampleSlice(CASE, number);
    const before = await storedMask(home, CASE, number);
    // The lesion's bounding box and 6 pixels around it, dragged corner to corner.
    const xs: number[] = [];
    const ys: number[] = [];
    truth.forEach((v, i) => v && (xs.push(i % SIZE.width), ys.push(Math.floor(i / SIZE.width))));
    const box = { x: Math.min(...xs) - 6, y: Math.min(...ys) - 6, width: Math.max(...xs) - Math.min(...xs) + 13, height: Math.max(...ys) - Math.min(...ys) + 13 };
    answers.length = 0;
    const path = () => page.getByTestId('viewer').getAttribute('data-editor-path');
    if (!(await path())?.startsWith('click.')) await page.keyboard.press('k'); // when run alone
    await expect.poll(path).toBe('click.idle');
    const from = await pagePoint(box.x, box.y);
    const to = await pagePoint(box.x + box.width - 1, box.y + box.height - 1);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await expect.poll(path).toBe('click.boxing');
    // The image stays where it was under the pointer (a cursor readout that wrapped the caption once shrank it).
    expect(await pagePoint(box.x, box.y)).toEqual(from);
    await page.mouse.up();
    await expect.poll(() => answers.filter((a) => a.box).length, { timeout: 60_000 }).toBe(1);
    const { mask: proposal, box: answered } = answers.find((a) => a.box)!;
    expect(answered).toEqual(box);
    expect(proposal.filter((v, i) => v && !(i % SIZE.width >= box.x && i % SIZE.width < box.x + box.width && i / SIZE.width >= box.y && i / SIZE.width < box.y + box.height)).length).toBe(0);
    expect(proposal.some((v) => v)).toBe(true);
    const expected = expectedOpaque(clickProposalOverlay(proposal, [], SIZE.width, SIZE.height, box), PIXELS);
    await expect.poll(async () => mismatches(opaquePixels(await readDrawnLayer(page, 'click-proposal', SIZE), PIXELS), expected), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('Proposal for the box');

    await page.keyboard.press('Enter');
    await saved();
    expect((await versions(number))[0]).toMatchObject({ operation: 'click', clicks: [], box });
    expect(mismatches(await storedMask(home, CASE, number), proposal)).toBe(0);
    await page.keyboard.press('Control+z');
    await saved();
    expect(mismatches(await storedMask(home, CASE, number), before)).toBe(0);
  }, 120_000);

  it('Shift+K propagates the slice\'s mask to several neighbours as one operation, undone together', async () => {
    const number = await shownSliceNumber(page);
    await page.keyboard.press('Shift+K');
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/Propagated slice \d+'s mask to \d+ slices: [\d, ]+\./);
    const listed = /: ([\d, ]+)\./.exec((await page.getByTestId('status').textContent())!)![1]!.split(', ').map(Number);
    expect(listed.length).toBeGreaterThanOrEqual(3);
    expect(listed).not.toContain(number);
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click(); // the operation's own Undo
    await saved();
    for (const n of listed) expect((await versions(n)).slice(0, 2).map((v) => v.operation)).toEqual(['undo', 'propagate']);
    const [first] = listed;
    expect(mismatches(await storedMask(home, CASE, first!), (await readSampleSlice(CASE, first!)).mask)).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
