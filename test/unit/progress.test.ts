import { describe, expect, it } from 'vitest';
import { formatDuration, formatTrainingProgress } from '../../src/cli/training-progress.js';
import type { TrainingProgress } from '../../src/ml/jobs.js';
import { createThrottle, estimateRemainingSeconds } from '../../src/ml/throttle.js';

describe('progress reporting', () => {
  it('lets at most one event through per interval, and always a forced one', () => {
    let now = 0;
    const pass = createThrottle(100, () => now);
    const seen: number[] = [];
    for (now = 0; now < 1000; now += 7) if (pass()) seen.push(now);
    expect(seen.length).toBeGreaterThanOrEqual(9);
    expect(seen.length).toBeLessThanOrEqual(10);
    seen.slice(1).forEach((t, i) => expect(t - seen[i]!).toBeGreaterThanOrEqual(100));
    expect(pass(true)).toBe(true);
    expect(pass(true)).toBe(true);
  });

  it('estimates the time left from the pace so far', () => {
    expect(estimateRemainingSeconds(0, 10, 5)).toBeNull();
    expect(estimateRemainingSeconds(5, 10, 20)).toBe(20);
    expect(estimateRemainingSeconds(10, 10, 20)).toBe(0);
  });

  it('formats a status line a radiologist can read at a glance, the panel\'s words first', () => {
    const p: TrainingProgress = {
      phase: 'training', epoch: 2, epochs: 20, step: 13, steps: 130, loss: 0.81234, valDice: 0.4123, slicesPerSecond: 2.06, etaSeconds: 3723,
      elapsedSeconds: 300, budgetSeconds: null, validations: [{ step: 130, valDice: 0.4123 }],
    };
    expect(formatTrainingProgress(p)).toBe('training · step 143 of 2600 · epoch 2/20  5 %  loss 0.8123  val Dice 0.412  2.06 slices/s  ETA 1 h 02 min');
    expect(formatTrainingProgress({ ...p, phase: 'validating', loss: null, validations: [], slicesPerSecond: null, etaSeconds: null }))
      .toBe('validating epoch 2 · step 143 of 2600 · epoch 2/20  5 %');
    expect(formatTrainingProgress({ ...p, phase: 'loading', epoch: 0, step: 0, steps: 23, loss: null, validations: [], slicesPerSecond: null, etaSeconds: null }))
      .toBe('loading patient 1 of 23  0 %');
    // A retrain: one epoch that its 2-minute budget ends, its parent scored before the first step.
    const retrain: TrainingProgress = {
      ...p, epoch: 1, epochs: 1, step: 173, steps: 100_000, elapsedSeconds: 65, budgetSeconds: 120, validations: [{ step: 0, valDice: 0.8123 }],
    };
    expect(formatTrainingProgress(retrain)).toBe('training · 1:05 of 2:00 min · step 173  54 %  loss 0.8123  val Dice 0.812 (before training)  2.06 slices/s  ETA 1 h 02 min');
    expect([formatDuration(42), formatDuration(600), formatDuration(7260)]).toEqual(['42 s', '10 min', '2 h 01 min']);
  });
});
