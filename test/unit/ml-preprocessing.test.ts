import { describe, expect, it } from 'vitest';
import { augmentSample, drawAugmentation } from '../../src/ml/augment.js';
import { ConfigError, PRESETS, validateTrainConfig } from '../../src/ml/config.js';
import { dice, largestConnectedComponent, summarize } from '../../src/ml/metrics.js';
import { normalizeVolume, percentiles8bit, resizeMaskNearest } from '../../src/ml/preprocess.js';
import { createRandom, createSampler, sliceProbabilities, withLesionFreeShare } from '../../src/ml/sampling.js';
import { readSampleSlice, sampleFiles } from '../helpers/sample-data.js';

describe('config', () => {
  it('fills the presets and defaults and rejects what cannot train', () => {
    expect(validateTrainConfig()).toMatchObject({ preset: 'fast', ...PRESETS.fast, learningRate: 1e-3, bceWeight: 1, batchSize: 4 });
    expect(validateTrainConfig({ preset: 'full' })).toMatchObject({ learningRate: 1e-4, bceWeight: 0 }); // Buda's recipe
    expect(validateTrainConfig({ preset: 'full' })).toMatchObject(PRESETS.full);
    expect(() => validateTrainConfig({ inputSize: 100 })).toThrow(/multiple of 16/);
    expect(() => validateTrainConfig({ learningRate: 0 })).toThrow(ConfigError);
    expect(() => validateTrainConfig({ preset: 'huge' as 'fast' })).toThrow(/unknown preset/);
  });
});

describe('per-volume normalisation', () => {
  it('computes percentiles like numpy (linear interpolation)', () => {
    const values = Uint8Array.from({ length: 101 }, (_, i) => i); // 0..100
    expect(percentiles8bit(values, [0.1, 0.99, 0.5])).toEqual([10, 99, 50]);
    expect(percentiles8bit(Uint8Array.from([0, 10]), [0.25])).toEqual([2.5]);
  });

  it('clips to the 10th–99th percentile range, then z-scores each channel', () => {
    const volume = new Uint8Array(2 * 8 * 8 * 3);
    for (let i = 0; i < volume.length; i++) volume[i] = (i * 37) % 256;
    const out = normalizeVolume(volume, 3);
    for (let c = 0; c < 3; c++) {
      const channel = out.filter((_, i) => i % 3 === c);
      const mean = channel.reduce((a, b) => a + b, 0) / channel.length;
      const std = Math.sqrt(channel.reduce((a, b) => a + (b - mean) ** 2, 0) / channel.length);
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 4);
    }
  });

  it('leaves a constant channel at zero instead of dividing by zero', () => {
    const volume = new Uint8Array(4 * 4 * 3);
    for (let i = 0; i < volume.length; i += 3) [volume[i], volume[i + 1], volume[i + 2]] = [i, 7, 255 - i];
    const out = normalizeVolume(volume, 3);
    expect(out.filter((_, i) => i % 3 === 1).every((v) => v === 0)).toBe(true);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('resizes masks by nearest neighbour, keeping labels 0/1', () => {
    const mask = Uint8Array.from([1, 0, 0, 1]);
    expect([...resizeMaskNearest(mask, 2, 2, 4, 4)]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  });
});

describe('Buda sampling', () => {
  it('gives lesion slices more weight and sums to one', () => {
    const p = sliceProbabilities([0, 0, 30, 70]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(p[0]).toBeCloseTo((0 + (0.1 * 100) / 4) / 110, 10);
    expect(p[3]).toBeCloseTo((70 + 2.5) / 110, 10);
    expect(sliceProbabilities([0, 0])).toEqual([0.5, 0.5]);
  });

  it('raises a lesion patient\'s lesion-free slices to the asked share, and leaves Buda\'s probabilities at 0', () => {
    const areas = [0, 0, 30, 70];
    const buda = sliceProbabilities(areas);
    expect(withLesionFreeShare(buda, areas, 0)).toEqual(buda);
    const raised = withLesionFreeShare(buda, areas, 0.4);
    expect(raised.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(raised[0]! + raised[1]!).toBeCloseTo(0.4, 10);
    expect(raised[0]).toBeCloseTo(raised[1]!, 10); // uniform among the lesion-free slices
    expect(raised[3]! / raised[2]!).toBeCloseTo(buda[3]! / buda[2]!, 10); // lesion slices keep their proportions
    expect(withLesionFreeShare(buda, areas, 0.01)).toEqual(buda); // already above the floor
    expect(withLesionFreeShare([0.5, 0.5], [0, 0], 0.4)).toEqual([0.5, 0.5]); // no lesion: uniform already
    expect(() => validateTrainConfig({ lesionFreeShare: 1 })).toThrow(/lesionFreeShare/);
  });

  it('on a real patient, draws its lesion-free slices at the asked share (Buda alone: under 9 %)', async () => {
    // TCGA_CS_6668: its lesion-free top slices are where FLAIR-bright scalp is mistaken for lesion.
    const caseId = 'TCGA_CS_6668_20011025';
    const count = sampleFiles(caseId).masks.length;
    const areas: number[] = [];
    for (let n = 1; n <= count; n++) areas.push((await readSampleSlice(caseId, n)).mask.reduce((a, b) => a + b, 0));
    expect(areas.some((a) => a === 0) && areas.some((a) => a > 0)).toBe(true);
    const candidates = areas.map((lesionArea, slice) => ({ patient: 0, slice, lesionArea, edited: false }));
    const freeShare = (lesionFreeShare: number) => {
      const draw = createSampler(candidates, createRandom(3), 0, lesionFreeShare);
      return Array.from({ length: 6000 }, draw).filter((c) => c.lesionArea === 0).length / 6000;
    };
    expect(freeShare(0)).toBeLessThan(0.1);
    expect(freeShare(0.3)).toBeGreaterThan(0.27);
    expect(freeShare(0.3)).toBeLessThan(0.33);
  });

  it('draws edited slices at the asked share when retraining', () => {
    const candidates = Array.from({ length: 100 }, (_, i) => ({ patient: i % 5, slice: i, lesionArea: i % 3, edited: i === 7 }));
    const draw = createSampler(candidates, createRandom(1), 0.5);
    const picks = Array.from({ length: 4000 }, draw);
    const share = picks.filter((c) => c.edited).length / picks.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.56);
    const replay = createSampler(candidates, createRandom(1), 0);
    expect(Array.from({ length: 4000 }, replay).filter((c) => c.edited).length).toBeLessThan(200);
  });

  it('is reproducible from its seed', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});

describe('augmentation', () => {
  const size = 16;
  const image = Float32Array.from({ length: size * size * 3 }, (_, i) => i % 11);
  const mask = Uint8Array.from({ length: size * size }, (_, i) => (i % size < 4 ? 1 : 0));

  it('is the identity with no scale, rotation or flip', () => {
    const out = augmentSample(image, mask, size, 3, { scale: 1, radians: 0, flip: false });
    expect([...out.mask]).toEqual([...mask]);
    out.image.forEach((v, i) => expect(v).toBeCloseTo(image[i]!, 5));
  });

  it('mirrors horizontally, and keeps mask labels binary under rotation', () => {
    const flipped = augmentSample(image, mask, size, 3, { scale: 1, radians: 0, flip: true });
    expect(flipped.mask[size - 1]).toBe(1);
    expect(flipped.mask[0]).toBe(0);
    const rotated = augmentSample(image, mask, size, 3, drawAugmentation(createRandom(3), { augmentScale: 0.05, augmentRotationDegrees: 15, augmentFlipProbability: 0.5 }));
    expect(rotated.mask.every((v) => v === 0 || v === 1)).toBe(true);
    expect(rotated.mask.some((v) => v === 1)).toBe(true);
  });
});

describe('metrics', () => {
  it('computes Dice on a known pair', () => {
    // A: 4 pixels, B: 6 pixels, overlap 3 → 2·3 / (4+6) = 0.6
    const a = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    const b = Uint8Array.from([0, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(dice(a, b)).toBeCloseTo(0.6, 10);
    expect(dice(a, a)).toBe(1);
    expect(dice(new Uint8Array(9), new Uint8Array(9))).toBe(1);
    expect(dice(a, new Uint8Array(9))).toBe(0);
  });

  it('keeps the largest 6-connected component across slices', () => {
    // depth 2, 3×3: a 3-voxel blob spanning both slices, and a lone voxel in a corner.
    const volume = Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...largestConnectedComponent(volume, 2, 3, 3)]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...largestConnectedComponent(new Uint8Array(4), 1, 2, 2)]).toEqual([0, 0, 0, 0]);
  });

  it('summarises with mean and median', () => {
    expect(summarize([0.2, 0.9, 0.4])).toEqual({ mean: 0.5, median: 0.4 });
    expect(summarize([0.2, 0.4])).toEqual({ mean: 0.30000000000000004, median: 0.30000000000000004 });
  });
});
