import { describe, expect, it } from 'vitest';
import { scorePatient } from '../../src/ml/patient-scores.js';
import { dilateMask } from '../../src/editing/region.js';
import { softDice } from '../../src/ml/metrics.js';

const slice = (...pixels: number[]) => Uint8Array.from(pixels);

describe("eval's per-patient scores", () => {
  it('computes volume Dice, per-slice Dice on lesion slices, false-positive slices and volume error on a known pair', () => {
    // Four slices of 4 pixels. Truth: lesion on slices 1 and 2 (3 + 2 px), none on 3 and 4.
    const truth = [slice(1, 1, 1, 0), slice(1, 1, 0, 0), slice(0, 0, 0, 0), slice(0, 0, 0, 0)];
    // Prediction: slice 1 exact, slice 2 one of two (plus one extra), a false alarm on slice 3, slice 4 empty.
    const predicted = [slice(1, 1, 1, 0), slice(1, 0, 1, 0), slice(0, 0, 0, 1), slice(0, 0, 0, 0)];
    const scores = scorePatient(predicted, truth);
    // Volume: |A∩B| = 3 + 1 = 4, |A| = 3 + 2 + 1 = 6, |B| = 5 → 8 / 11.
    expect(scores.dice).toBeCloseTo(8 / 11, 10);
    // Lesion slices: Dice 1 and 2·1/(2+2) = 0.5 → mean 0.75.
    expect(scores.lesionSlices).toBe(2);
    expect(scores.lesionSliceDice).toBeCloseTo(0.75, 10);
    expect(scores.lesionFreeSlices).toBe(2);
    expect(scores.falsePositiveSlices).toBe(1);
    expect(scores.truePixels).toBe(5);
    expect(scores.predictedPixels).toBe(6);
    expect(scores.volumeError).toBeCloseTo(0.2, 10);
  });

  it('has no lesion-slice Dice or volume error for a patient without a lesion', () => {
    const scores = scorePatient([slice(0, 0), slice(0, 1)], [slice(0, 0), slice(0, 0)]);
    expect(scores).toMatchObject({ dice: 0, lesionSlices: 0, lesionSliceDice: null, falsePositiveSlices: 1, volumeError: null });
    expect(() => scorePatient([slice(0)], [])).toThrow(/slice count/);
  });
});

describe('the retrain benchmark\'s measures', () => {
  it('dilates a mask by a square neighbourhood, clipped at the edges', () => {
    const mask = new Uint8Array(25);
    mask[12] = 1; // the centre of 5×5
    expect([...dilateMask(mask, 5, 5, 1)].reduce((a, b) => a + b, 0)).toBe(9);
    expect([...dilateMask(mask, 5, 5, 5)].every((v) => v === 1)).toBe(true);
    const corner = new Uint8Array(25);
    corner[0] = 1;
    expect([...dilateMask(corner, 5, 5, 1)].reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('computes soft Dice of 8-bit probabilities against a mask', () => {
    expect(softDice(Uint8Array.from([255, 255, 0, 0]), Uint8Array.from([1, 1, 0, 0]))).toBeCloseTo(1, 10);
    // p = 0.5 on both mask pixels: 2·1 / (1 + 2).
    expect(softDice(Uint8Array.from([0, 0, 0, 0]).map((_, i) => (i < 2 ? 127.5 : 0)), Uint8Array.from([1, 1, 0, 0]))).toBeCloseTo(2 / 3, 2);
    expect(softDice(new Uint8Array(4), new Uint8Array(4))).toBe(1);
  });
});
