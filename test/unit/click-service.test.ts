// Click to segment, the service (issue #29): a real imported patient, the shipped automatic model, and an
// interactive model (the shipped one in resources/models/lgg-unet-interactive/; without it, the tests that need
// its behaviour say so and fail). The click engine is a real compute process.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledInteractiveDir, bundledModelDir, ensureBundledInteractiveModel, ensureBundledModel } from '../../src/bundled/bundled-model.js';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { listModels } from '../../src/catalog/models.js';
import { listPatients } from '../../src/catalog/patients.js';
import { findPrediction } from '../../src/catalog/predictions.js';
import { listSlices } from '../../src/catalog/slices.js';
import { REQUEST_SCHEMAS, type MaskBox } from '../../src/contract/index.js';
import { ensureHome, resolveHome, type HomePaths } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { insideBox } from '../../src/ml/interactive/box-prompt.js';
import { nextClick } from '../../src/ml/interactive/clicks.js';
import { MAX_CLICKS_USED } from '../../src/ml/interactive/encoding.js';
import { dice } from '../../src/ml/metrics.js';
import { createClickService, type ClickService } from '../../src/services/click-service.js';
import { WarmClicker } from '../../src/compute/warm-clicker.js';
import { createMaskService } from '../../src/services/mask-service.js';
import { createModelService } from '../../src/services/model-service.js';
import { createPredictionService, type PredictionService } from '../../src/services/prediction-service.js';
import { createReviewService } from '../../src/services/review-service.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const CASE = 'TCGA_CS_6666_20011109';
const automaticDir = bundledModelDir({ BRAINSEG_BUNDLED_MODEL: '' })!;
const interactiveDir = bundledInteractiveDir(automaticDir);

/** The sample's own masks of the patient, by slice number (0/1). */
async function truths(): Promise<Map<number, Uint8Array>> {
  const folder = samplePatientFolder(CASE);
  const out = new Map<number, Uint8Array>();
  for (const name of readdirSync(folder)) {
    const number = /_(\d+)_mask\.tif$/.exec(name)?.[1];
    if (number) out.set(Number(number), new Uint8Array(await sharp(path.join(folder, name)).extractChannel(0).raw().toBuffer()).map((v) => (v > 127 ? 1 : 0)));
  }
  return out;
}

/** The lesion's bounding box grown by `margin` pixels (cut to the 256² slice). */
function lesionBox(mask: Uint8Array, margin: number): MaskBox {
  const xs: number[] = [];
  const ys: number[] = [];
  mask.forEach((v, i) => v && (xs.push(i % 256), ys.push(Math.floor(i / 256))));
  const x = Math.max(0, Math.min(...xs) - margin);
  const y = Math.max(0, Math.min(...ys) - margin);
  return { x, y, width: Math.min(255, Math.max(...xs) + margin) - x + 1, height: Math.min(255, Math.max(...ys) + margin) - y + 1 };
}

/** How many of the mask's pixels lie outside the box. */
function outsideBox(mask: Uint8Array, box: MaskBox): number {
  return mask.reduce((n, v, i) => n + (v && !insideBox(box, i % 256, Math.floor(i / 256)) ? 1 : 0), 0);
}

describe('the click service', () => {
  let db: CatalogDb;
  let home: HomePaths;
  let predictions: PredictionService;
  let clicks: ClickService;
  let slices: Awaited<ReturnType<typeof listSlices>>;
  let truth: Map<number, Uint8Array>;
  /** The slice with the most lesion in the sample's masks. */
  let lesionSlice: (typeof slices)[number];

  beforeAll(async () => {
    expect(interactiveDir, 'resources/models/lgg-unet-interactive/ (model.bsm + card.json) is needed').not.toBeNull();
    home = ensureHome(resolveHome(tempDir.persistent()));
    db = await openCatalog(home.catalog);
    expect((await ensureBundledModel(db, home, automaticDir)).kind).toBe('registered');
    expect((await ensureBundledInteractiveModel(db, home, interactiveDir)).kind).toBe('registered');
    await importPath(db, samplePatientFolder(CASE));
    const [patient] = await listPatients(db);
    slices = await listSlices(db, patient!.id);
    truth = await truths();
    lesionSlice = [...slices].sort((a, b) => truth.get(b.number)!.reduce((n, v) => n + v, 0) - truth.get(a.number)!.reduce((n, v) => n + v, 0))[0]!;
    predictions = createPredictionService(db, home, () => undefined);
    clicks = createClickService(db, home, predictions);
  }, 120_000);

  afterAll(async () => {
    clicks?.close();
    predictions?.close();
    await db?.destroy();
  });

  it('registers the shipped interactive model beside the automatic one, never active, once', async () => {
    const models = await listModels(db);
    const interactive = models.filter((m) => m.config['kind'] === 'interactive');
    expect(interactive).toHaveLength(1);
    expect(interactive[0]!.active).toBe(false);
    expect(interactive[0]!.parentId).toBe(models.find((m) => m.active)!.id);
    expect((await ensureBundledInteractiveModel(db, home, interactiveDir)).kind).toBe('skipped');
    // Not in the models panel, and never activated: it cannot predict on its own.
    const panel = createModelService(db);
    expect((await panel.list()).map((m) => m.id)).not.toContain(interactive[0]!.id);
    await expect(panel.activate(interactive[0]!.id)).rejects.toThrow(/interactive model .* cannot be the active model/);
  });

  it('queues a click made while the engine still loads, and answers it from the interactive model', async () => {
    const click = nextClick(new Uint8Array(256 * 256), truth.get(lesionSlice.number)!, 256, 256)!;
    const answer = await clicks.propose(lesionSlice.id, [click]);
    expect(answer.engine).toBe('loading');
    expect(answer.interactiveModelId).not.toBeNull();
    expect(answer.mask[click.y * 256 + click.x]).toBe(1); // a positive click is lesion in the answer
    expect(dice(answer.mask, truth.get(lesionSlice.number)!)).toBeGreaterThan(0.7);
  }, 180_000);

  it('with no clicks answers the automatic model\'s stored prediction, computing it for a slice without one', async () => {
    const slice = slices[slices.length - 1]!;
    const modelId = (await listModels(db)).find((m) => m.active)!.id;
    expect(await findPrediction(db, slice.id, modelId)).toBeDefined(); // the click above predicted the patient
    const answer = await clicks.propose(slice.id, []);
    const stored = await findPrediction(db, slice.id, modelId);
    expect(answer.modelId).toBe(modelId);
    expect(Buffer.from(answer.mask).equals(Buffer.from(stored!.probabilities.map((p) => (p >= 128 ? 1 : 0))))).toBe(true);
    expect(answer.engine).toBe('ready');
  }, 60_000);

  it('refines the previous answer click by click: a negative click removes the region it lands in', async () => {
    const t = truth.get(lesionSlice.number)!;
    const first = nextClick(new Uint8Array(t.length), t, 256, 256)!;
    const one = await clicks.propose(lesionSlice.id, [first]);
    // A negative click at the centre of the answer's largest wrong region outside the lesion, if any; else on
    // background far from it, which must leave the answer as good as it was.
    const negative = nextClick(one.mask, new Uint8Array(t.length).fill(0).map((_, i) => (t[i] || !one.mask[i] ? t[i]! : 0)), 256, 256)
      ?? { x: 10, y: 10, positive: false };
    const two = await clicks.propose(lesionSlice.id, [first, { ...negative, positive: false }]);
    expect(two.clicksUsed).toBe(2);
    expect(two.mask[negative.y * 256 + negative.x]).toBe(0);
    expect(dice(two.mask, t)).toBeGreaterThanOrEqual(dice(one.mask, t) - 0.02);
  }, 60_000);

  it('rejects a click outside the slice with a clear error, and the contract refuses negative coordinates', async () => {
    await expect(clicks.propose(lesionSlice.id, [{ x: 256, y: 10, positive: true }])).rejects.toThrow(/outside slice .* \(256×256 pixels\)/);
    expect(REQUEST_SCHEMAS['clicks:propose'].safeParse({ sliceId: 1, clicks: [{ x: -1, y: 0, positive: true }] }).success).toBe(false);
  });

  it('caps 500 clicks on one slice to the newest ones with a message, answering all the same', async () => {
    const t = truth.get(lesionSlice.number)!;
    const many = Array.from({ length: 500 }, (_, i) => ({ x: (i * 37) % 256, y: (i * 91) % 256, positive: t[((i * 91) % 256) * 256 + ((i * 37) % 256)] === 1 }));
    const answer = await clicks.propose(lesionSlice.id, many);
    expect(answer.clicksUsed).toBe(MAX_CLICKS_USED);
    expect(answer.notice).toMatch(/500 clicks on this slice: the proposal follows the newest 64\. All of them are kept/);
    expect(answer.mask).toHaveLength(256 * 256);
  }, 60_000);

  it('a box around a real lesion proposes inside the box only, better than the empty mask, and keeps to it after clicks', async () => {
    const t = truth.get(lesionSlice.number)!;
    const box = lesionBox(t, 6);
    const answer = await clicks.propose(lesionSlice.id, [], box);
    expect(answer).toMatchObject({ box, clicksUsed: 0, interactiveModelId: expect.any(Number) });
    expect(insideBox(box, answer.seed!.x, answer.seed!.y)).toBe(true);
    expect(outsideBox(answer.mask, box)).toBe(0);
    const withBox = dice(answer.mask, t);
    expect(withBox).toBeGreaterThan(dice(new Uint8Array(t.length), t)); // the empty mask's Dice is 0
    expect(withBox).toBeGreaterThan(0.5);
    // A box over the lesion's left half: nothing is added outside it, though the lesion goes on there.
    const half = { ...box, width: Math.ceil(box.width / 2) };
    const cut = await clicks.propose(lesionSlice.id, [], half);
    expect(cut.mask.some((v) => v)).toBe(true);
    expect(outsideBox(cut.mask, half)).toBe(0);
    // A positive click outside the half box asks for more lesion there: still nothing outside the box.
    const right = { x: Math.min(255, half.x + half.width + 3), y: answer.seed!.y, positive: true };
    const clicked = await clicks.propose(lesionSlice.id, [right], half);
    expect(clicked.clicksUsed).toBe(1);
    expect(outsideBox(clicked.mask, half)).toBe(0);
    await expect(clicks.propose(lesionSlice.id, [], { x: 250, y: 0, width: 10, height: 10 })).rejects.toThrow(/reaches outside slice .* nothing was changed/);
  }, 120_000);

  it('stores the box with an accepted box proposal; the contract keeps boxes to click versions', async () => {
    const masks = createMaskService(db, createReviewService(db));
    const box = lesionBox(truth.get(lesionSlice.number)!, 6);
    const answer = await clicks.propose(lesionSlice.id, [], box);
    await masks.save({ sliceId: lesionSlice.id, width: 256, height: 256, data: new Uint8Array(answer.mask), operation: 'click', clicks: [], box });
    expect((await masks.versions(lesionSlice.id))[0]).toMatchObject({ operation: 'click', clicks: [], box });
    expect(REQUEST_SCHEMAS['masks:save'].safeParse({ sliceId: 1, width: 1, height: 1, data: new Uint8Array(1), operation: 'propagate', box }).success).toBe(false);
    expect(REQUEST_SCHEMAS['clicks:propose'].safeParse({ sliceId: 1, clicks: [], box: { ...box, width: 0 } }).success).toBe(false);
  }, 60_000);

  it('propagates an accepted mask up and down through the lesion\'s slices, and stops where it ends', async () => {
    const accepted = truth.get(lesionSlice.number)!;
    const out = await clicks.propagate(lesionSlice.id, accepted);
    const numbers = out.map((s) => slices.find((x) => x.id === s.sliceId)!.number);
    expect(numbers.length).toBeGreaterThanOrEqual(4);
    expect(numbers).not.toContain(lesionSlice.number);
    expect(numbers.some((n) => n > lesionSlice.number) && numbers.some((n) => n < lesionSlice.number)).toBe(true);
    // Contiguous runs from the accepted slice: no slice is skipped on either side.
    const above = numbers.filter((n) => n > lesionSlice.number);
    const below = numbers.filter((n) => n < lesionSlice.number);
    expect(above).toEqual(above.map((_, i) => lesionSlice.number + 1 + i));
    expect(below).toEqual(below.map((_, i) => lesionSlice.number - below.length + i));
    // The neighbours next to the accepted slice are close to the sample's own masks.
    for (const n of [lesionSlice.number - 1, lesionSlice.number + 1]) {
      expect(dice(out[numbers.indexOf(n)]!.mask, truth.get(n)!)).toBeGreaterThan(0.7);
    }
    const lesionFree = slices.find((s) => !truth.get(s.number)!.some((v) => v))!;
    expect(await clicks.propagate(lesionFree.id, new Uint8Array(256 * 256))).toEqual([]);
  }, 120_000);

  it('stores the clicks with an accepted proposal as its provenance', async () => {
    const masks = createMaskService(db, createReviewService(db));
    const t = truth.get(lesionSlice.number)!;
    const click = nextClick(new Uint8Array(t.length), t, 256, 256)!;
    const answer = await clicks.propose(lesionSlice.id, [click]);
    const saved = await masks.save({ sliceId: lesionSlice.id, width: 256, height: 256, data: new Uint8Array(answer.mask), operation: 'click', clicks: [click] });
    expect(saved.version.operation).toBe('click');
    expect((await masks.versions(lesionSlice.id))[0]!.clicks).toEqual([click]);
    expect(Buffer.from((await masks.current(lesionSlice.id)).data).equals(Buffer.from(answer.mask))).toBe(true);
    expect(REQUEST_SCHEMAS['masks:save'].safeParse({ sliceId: 1, width: 1, height: 1, data: new Uint8Array(1), operation: 'brush', clicks: [click] }).success).toBe(false);
  }, 60_000);
});


describe('the click engine', () => {
  it('answers a model it cannot load with the reason, and stays usable', async () => {
    const clicker = new WarmClicker('wasm');
    try {
      const slice = { sliceId: 1, number: 1, imagePath: '/nonexistent/1.tif', width: 2, height: 2, mask: null, maskVersionId: null, edited: false };
      const patient = { patientId: 1, caseId: CASE, split: 'train' as const, slices: [slice] };
      const request = { patient, sliceIndex: 0, clicks: [{ x: 1, y: 1, positive: true }], proposal: new Uint8Array(4) };
      await expect(clicker.refine('/nonexistent/model.bsm', request)).rejects.toThrow(/no such file|ENOENT/);
      // The process is still there: the next request gets an answer (the same reason), not a hang.
      await expect(clicker.refine('/nonexistent/model.bsm', request)).rejects.toThrow(/no such file|ENOENT/);
    } finally {
      clicker.close();
    }
  }, 60_000);
});
