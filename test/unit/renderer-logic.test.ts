// The viewer's pure logic: what it draws for a slice, a mask, a prediction and their difference, and how it
// folds training progress into the chart. Real slices where pixels matter.
import { describe, expect, it } from 'vitest';
import { channelValue, dragWindowLevel, FULL_RANGE, renderSlice, windowLookup, type PixelImage } from '../../renderer/src/logic/display.js';
import { COLORS, differenceOverlay, maskOverlay, predictionOverlay, sliceDice, thresholdProbabilities } from '../../src/editing/overlays.js';
import { LruCache } from '../../renderer/src/logic/lru-cache.js';
import { filterPatients, stepSlice } from '../../renderer/src/logic/patients.js';
import { addProgress, EMPTY_HISTORY, polylinePoints } from '../../renderer/src/logic/training-history.js';
import { formatDice, formatDuration, formatSliceScore, trainedMessage } from '../../renderer/src/logic/format.js';
import { rejectedRetrain } from '../../renderer/src/logic/models.js';
import { WheelAccumulator, wheelPixels } from '../../renderer/src/logic/wheel.js';
import { readViewLocation, withViewLocation } from '../../renderer/src/logic/url-state.js';
import { formatArea, formatVolume } from '../../renderer/src/logic/measure.js';
import { withPreview } from '../../renderer/src/logic/prediction-preview.js';
import type { ModelSummary } from '../../src/contract/index.js';
import type { TrainingProgress } from '../../src/ml/jobs.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const realSlice = (): Promise<{ image: PixelImage; mask: Uint8Array }> => readSampleSlice('TCGA_CS_6665_20010817', 12);

describe('slice display', () => {
  it('maps a window linearly and clips outside it', () => {
    const lut = windowLookup({ window: 100, level: 100 });
    expect([lut[0], lut[50], lut[100], lut[150], lut[255]]).toEqual([0, 0, 128, 255, 255]);
    expect(Array.from(windowLookup(FULL_RANGE).subarray(0, 3))).toEqual([0, 1, 2]);
  });

  it('shows the chosen channel of a real slice in grey, or all three as the composite', async () => {
    const { image } = await realSlice();
    const flair = renderSlice(image, 'flair', FULL_RANGE);
    const rgb = renderSlice(image, 'rgb', FULL_RANGE);
    const at = (x: number, y: number) => (y * image.width + x) * 4;
    const p = at(128, 128);
    expect(flair[p]).toBe(flair[p + 1]);
    expect(Math.abs(flair[p]! - channelValue(image, 128, 128, 1))).toBeLessThanOrEqual(1);
    expect(Math.abs(rgb[p]! - channelValue(image, 128, 128, 0))).toBeLessThanOrEqual(1);
    expect(Math.abs(rgb[p + 2]! - channelValue(image, 128, 128, 2))).toBeLessThanOrEqual(1);
    expect(flair[p + 3]).toBe(255);
  });

  it('widens the window on a rightward drag and brightens on an upward one', () => {
    expect(dragWindowLevel({ window: 100, level: 100 }, 20, 10)).toEqual({ window: 120, level: 110 });
    expect(dragWindowLevel({ window: 10, level: 250 }, -50, 50)).toEqual({ window: 1, level: 255 });
  });
});

describe('overlays', () => {
  it('draws a real mask as a fill with an opaque outline and nothing outside it', async () => {
    const { image, mask } = await realSlice();
    const out = maskOverlay(mask, image.width, image.height, COLORS.mask, 0.4);
    let outline = 0;
    let fill = 0;
    for (let i = 0; i < mask.length; i++) {
      const alpha = out[i * 4 + 3]!;
      if (!mask[i]) expect(alpha).toBe(0);
      else if (alpha === 255) outline++;
      else if (alpha === 102) fill++;
    }
    expect(outline).toBeGreaterThan(10);
    expect(fill).toBeGreaterThan(outline);
    expect(outline + fill).toBe(mask.reduce((n, v) => n + v, 0));
  });

  it('thresholds 8-bit probabilities, draws the heat map above 5 % only, and outlines the thresholded region', () => {
    const probabilities = new Uint8Array([0, 12, 100, 128, 200, 255, 255, 255, 255]);
    expect(Array.from(thresholdProbabilities(probabilities, 0.5))).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const heat = predictionOverlay(probabilities, 3, 3, { mode: 'heat', threshold: 0.5, opacity: 1 });
    expect([heat[3], heat[7], heat[11]]).toEqual([0, 0, expect.any(Number)]);
    expect(heat[11]).toBeGreaterThan(0);
    const outline = predictionOverlay(new Uint8Array(25).fill(255), 5, 5, { mode: 'outline', threshold: 0.5, opacity: 1 });
    expect(outline[(2 * 5 + 2) * 4 + 3]).toBe(0); // the centre is inside, not on the edge
    expect(outline[3]).toBe(255);
  });

  it('colours false positives and false negatives and counts them into a slice Dice', async () => {
    const { image, mask } = await realSlice();
    const shifted = new Uint8Array(mask.length);
    for (let i = 0; i < mask.length; i++) shifted[i] = mask[i - 3] ? 255 : 0; // the prediction is 3 px off
    const d = differenceOverlay(mask, shifted, image.width, image.height, 0.5, 1);
    expect(d.falsePositives).toBeGreaterThan(0);
    expect(d.falseNegatives).toBe(d.falsePositives);
    const fpPixel = Array.from({ length: mask.length }, (_, i) => i).find((i) => shifted[i] && !mask[i])!;
    expect(Array.from(d.overlay.subarray(fpPixel * 4, fpPixel * 4 + 3))).toEqual([...COLORS.falsePositive]);
    expect(sliceDice(d)).toBeGreaterThan(0.5);
    expect(sliceDice(d)).toBeLessThan(1);
    const same = differenceOverlay(mask, mask.map((v) => v * 255), image.width, image.height, 0.5, 1);
    expect(sliceDice(same)).toBe(1);
  });
});

describe('navigation, search and caching', () => {
  it('keeps the slice index inside the patient', () => {
    expect(stepSlice(0, -1, 20)).toBe(0);
    expect(stepSlice(19, 1, 20)).toBe(19);
    expect(stepSlice(5, 1, 20)).toBe(6);
    expect(stepSlice(3, 1, 0)).toBe(0);
  });

  it('searches patients by every word', () => {
    const patients = [
      { id: 1, caseId: 'TCGA_CS_6665_20010817', split: 'train' as const, slices: 24, lesionSlices: 11, editedSlices: 0, approvedSlices: 0, spacing: null, scan: null },
      { id: 2, caseId: 'TCGA_HT_7680_19970202', split: 'validation' as const, slices: 21, lesionSlices: 3, editedSlices: 0, approvedSlices: 0, spacing: null, scan: null },
    ];
    expect(filterPatients(patients, 'ht').map((p) => p.id)).toEqual([2]);
    expect(filterPatients(patients, 'tcga val').map((p) => p.id)).toEqual([2]);
    expect(filterPatients(patients, '  ').map((p) => p.id)).toEqual([1, 2]);
  });

  it('evicts the least recently used slice first', () => {
    const cache = new LruCache<number, string>(2);
    cache.set(1, 'a');
    cache.set(2, 'b');
    cache.get(1);
    cache.set(3, 'c');
    expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual(['a', undefined, 'c']);
  });
});

describe('training panel', () => {
  const progress = (p: Partial<TrainingProgress>): TrainingProgress => ({
    phase: 'training', epoch: 1, epochs: 2, step: 1, steps: 4, loss: 0.9, valDice: null, slicesPerSecond: 3, etaSeconds: 30,
    elapsedSeconds: 10, budgetSeconds: null, validations: [], ...p,
  });

  it('plots loss per step and each validation where it happened, as the last event lists them', () => {
    let h = EMPTY_HISTORY;
    h = addProgress(h, progress({ phase: 'loading', epoch: 0, step: 0, steps: 0, loss: null }));
    h = addProgress(h, progress({ phase: 'training', step: 0, loss: null, validations: [{ step: 0, valDice: 0.7 }] })); // the baseline
    for (let step = 1; step <= 4; step++) h = addProgress(h, progress({ step, loss: 1 - step / 10, validations: [{ step: 0, valDice: 0.7 }] }));
    const validated = [{ step: 0, valDice: 0.7 }, { step: 4, valDice: 0.31 }];
    h = addProgress(h, progress({ step: 4, loss: 0.75, valDice: 0.31, validations: validated })); // epoch 1's validation
    h = addProgress(h, progress({ epoch: 2, step: 1, loss: 0.5, valDice: 0.31, validations: validated }));
    expect(h.valDice).toEqual([{ x: 0, y: 0.7 }, { x: 4, y: 0.31 }]);
    expect(h.loss.map((p) => p.x)).toEqual([1, 2, 3, 4, 4, 5]);
    expect(polylinePoints([{ x: 0, y: 0 }, { x: 8, y: 1 }], 8, 100, 50, 0, 1)).toBe('0.0,50.0 100.0,0.0');
  });

  it('formats durations and Dice for people', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatDice(0.8191)).toBe('81.9 %');
    expect(formatSliceScore({ sliceId: 1, number: 3, dice: 0.8349, bce: 0.04126 })).toBe('Dice 0.83 · BCE 0.041');
    expect(formatSliceScore({ sliceId: 1, number: 3, dice: null, bce: 0.0012 })).toBe('Dice – · BCE 0.001');
    expect(formatSliceScore(undefined)).toBe('not predicted');
    expect(formatSliceScore(undefined, false)).toBe('…');
  });

  it('says what a finished run scored against its parent, and whether it became active', () => {
    expect(trainedMessage({ modelId: 1, valDice: 0.6, baselineValDice: null, accepted: true })).toBe('Model 1 trained: validation Dice 60.0 %, now active.');
    expect(trainedMessage({ modelId: 2, valDice: null, baselineValDice: null, accepted: true })).toBe('Model 2 trained (no validation patients to score it on), now active.');
    expect(trainedMessage({ modelId: 3, valDice: 0.8231, baselineValDice: 0.8102, accepted: true }))
      .toBe('Model 3 trained: validation Dice 82.3 % (its parent: 81.0 % on the same masks), now active.');
    const rejected = trainedMessage({ modelId: 4, valDice: 0.676, baselineValDice: 0.681, accepted: false });
    expect(rejected).toMatch(/^Model 4 trained: validation Dice 67\.6 % \(its parent: 68\.1 % on the same masks\): worse than its parent/);
    expect(rejected).toMatch(/kept but not activated\.$/);
  });

  it('offers the newest model when the gate turned it away, and nothing once it is active or superseded', () => {
    const model = (id: number, status: ModelSummary['status'], active = false): ModelSummary =>
      ({ id, parentId: id > 1 ? id - 1 : null, preset: 'fast', valDice: 0.7, status, active, createdAt: '2026-11-28T09:00:00Z', origin: 'trained', recipe: '', ownFigurePatients: null });
    expect(rejectedRetrain([])).toBeNull();
    expect(rejectedRetrain([model(1, 'accepted', true), model(2, 'rejected')])?.id).toBe(2);
    // Listed in any order: the newest is the highest id.
    expect(rejectedRetrain([model(3, 'rejected'), model(1, 'accepted'), model(2, 'accepted', true)])?.id).toBe(3);
    expect(rejectedRetrain([model(1, 'accepted'), model(2, 'rejected', true)])).toBeNull(); // activated anyway
    expect(rejectedRetrain([model(1, 'accepted', true), model(2, 'rejected'), model(3, 'accepted')])).toBeNull(); // a newer one since
  });
});

describe('wheel to slices', () => {
  it('accumulates trackpad deltas: ten events of 10 px move one slice, a mouse notch moves one', () => {
    const wheel = new WheelAccumulator();
    const moved = Array.from({ length: 10 }, () => wheel.add(10)).reduce((a, b) => a + b, 0);
    expect(moved).toBe(1);
    const mouse = new WheelAccumulator();
    expect([mouse.add(100), mouse.add(120), mouse.add(-100)]).toEqual([1, 1, -1]);
  });

  it('starts afresh on a change of direction and converts line and page deltas', () => {
    const wheel = new WheelAccumulator();
    expect(wheel.add(90)).toBe(0);
    expect(wheel.add(-20)).toBe(0); // not 90 − 20 carried: reversing starts from zero
    expect(wheel.add(-80)).toBe(-1);
    expect(wheelPixels(3, 1)).toBe(48);
    expect(wheelPixels(1, 2)).toBe(400);
    expect(wheelPixels(7, 0)).toBe(7);
  });
});

describe('the view in the URL', () => {
  it('writes the patient and slice beside the token and reads them back', () => {
    const href = withViewLocation('http://127.0.0.1:5000/?token=abc', { caseId: 'TCGA_CS_6665_20010817', slice: 12 });
    expect(new URL(href).searchParams.get('token')).toBe('abc');
    expect(readViewLocation(new URL(href).search)).toEqual({ caseId: 'TCGA_CS_6665_20010817', slice: 12 });
    expect(readViewLocation('?token=abc&slice=-3')).toEqual({ caseId: null, slice: null });
  });
});

describe('lesion size in radiologists\' units', () => {
  it('gives pixels without spacing, mm² and mL with it', () => {
    expect(formatArea(305, null)).toBe('area 305 px');
    expect(formatArea(100, { pixelMm: 0.5, sliceMm: 3 })).toBe('area 25.0 mm² (100 px)');
    // 4000 voxels × 0.25 mm² × 3 mm = 3000 mm³ = 3.00 mL
    expect(formatVolume(4000, { pixelMm: 0.5, sliceMm: 3 })).toBe('3.00 mL (4000 voxels)');
    expect(formatVolume(4000, null)).toBe('4000 voxels');
  });
});

describe('the preview of a slice\'s prediction', () => {
  const image = { width: 2, height: 1, channels: 1, data: new Uint8Array(2) };
  const mask = { versionId: 1, width: 2, height: 1, data: new Uint8Array(2) };
  const slice = { sliceId: 7, image, mask, prediction: null };
  const own = { patientId: 1, sliceId: 7, modelId: 3, width: 2, height: 1, data: Uint8Array.from([200, 0]) };
  const neighbour = { ...own, sliceId: 6, data: Uint8Array.from([0, 90]) };
  const preview = new Map([[7, own], [6, neighbour]]);

  it('stands in for the prediction of its own slice until the stored one is there', () => {
    expect(withPreview({ data: slice, error: null }, preview).data).toEqual({ ...slice, prediction: { modelId: 3, width: 2, height: 1, data: own.data }, previewed: true });
    expect(withPreview({ data: { ...slice, sliceId: 6 }, error: null }, preview).data).toMatchObject({ prediction: { data: neighbour.data }, previewed: true });
    const stored = { modelId: 3, width: 2, height: 1, data: Uint8Array.from([180, 0]) };
    expect(withPreview({ data: { ...slice, prediction: stored }, error: null }, preview).data?.prediction).toBe(stored);
    expect(withPreview({ data: { ...slice, sliceId: 8 }, error: null }, preview).data?.prediction).toBeNull();
    expect(withPreview({ data: null, error: 'x' }, preview)).toEqual({ data: null, error: 'x' });
  });
});
