import { describe, expect, it } from 'vitest';
import { augmentSample, drawAugmentation } from '../../src/ml/augment.js';
import { ConfigError, validateTrainConfig } from '../../src/ml/config.js';
import { runProgress, scheduledLearningRate } from '../../src/ml/lr-schedule.js';
import { createRandom } from '../../src/ml/sampling.js';

describe('learning-rate schedule', () => {
  it('cosine falls from the base rate to a twentieth, monotonically; constant stays', () => {
    expect(scheduledLearningRate('cosine', 1e-3, 0)).toBeCloseTo(1e-3, 12);
    expect(scheduledLearningRate('cosine', 1e-3, 0.5)).toBeCloseTo((1e-3 + 5e-5) / 2, 12);
    expect(scheduledLearningRate('cosine', 1e-3, 1)).toBeCloseTo(5e-5, 12);
    expect(scheduledLearningRate('cosine', 1e-3, 7)).toBeCloseTo(5e-5, 12); // past the end: the floor
    let previous = Infinity;
    for (let t = 0; t <= 1; t += 0.05) {
      const rate = scheduledLearningRate('cosine', 1e-3, t);
      expect(rate).toBeLessThan(previous);
      previous = rate;
    }
    expect(scheduledLearningRate('constant', 1e-3, 0.9)).toBe(1e-3);
  });

  it('a run is as far along as the further of its steps and its time budget', () => {
    expect(runProgress(50, 100, 0, Infinity)).toBe(0.5);
    expect(runProgress(10, 100, 30_000, 60_000)).toBe(0.5); // the budget ends first: the schedule follows time
    expect(runProgress(90, 100, 30_000, 60_000)).toBe(0.9);
    expect(runProgress(500, 100, 0, Infinity)).toBe(1);
  });

  it('is part of the config, checked by name', () => {
    expect(validateTrainConfig()).toMatchObject({ learningRateSchedule: 'cosine', augmentIntensity: 0.1 });
    expect(() => validateTrainConfig({ learningRateSchedule: 'step' as 'cosine' })).toThrow(/learningRateSchedule must be one of constant, cosine/);
    expect(() => validateTrainConfig({ augmentIntensity: 1.5 })).toThrow(ConfigError);
  });
});

describe('intensity augmentation', () => {
  const size = 8;
  const image = Float32Array.from({ length: size * size * 3 }, (_, i) => Math.sin(i));
  const mask = new Uint8Array(size * size).fill(1);
  const identity = { augmentScale: 0, augmentRotationDegrees: 0, augmentFlipProbability: 0 };

  it('scales and shifts each channel by its own gain and offset, within the limit, and leaves the mask alone', () => {
    const draw = drawAugmentation(createRandom(7), { ...identity, augmentIntensity: 0.1 }, 3);
    expect(draw.gains).toHaveLength(3);
    for (const g of draw.gains!) expect(Math.abs(g - 1)).toBeLessThanOrEqual(0.1);
    for (const s of draw.shifts!) expect(Math.abs(s)).toBeLessThanOrEqual(0.1);
    expect(new Set(draw.gains).size).toBe(3);
    const out = augmentSample(image, mask, size, 3, draw);
    for (let i = 0; i < size * size; i++) {
      for (let k = 0; k < 3; k++) expect(out.image[i * 3 + k]).toBeCloseTo(image[i * 3 + k]! * draw.gains![k]! + draw.shifts![k]!, 5);
    }
    expect([...out.mask]).toEqual([...mask]);
  });

  it('is off at 0: no gains drawn, the image unchanged', () => {
    const draw = drawAugmentation(createRandom(7), { ...identity, augmentIntensity: 0 }, 3);
    expect(draw.gains).toBeUndefined();
    const out = augmentSample(image, mask, size, 3, draw);
    out.image.forEach((v, i) => expect(v).toBeCloseTo(image[i]!, 5));
  });
});
