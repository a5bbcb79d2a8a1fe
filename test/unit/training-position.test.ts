// Where a training run stands against what ends it: the arithmetic behind the training panel's bar and words and
// `brainseg train`'s line (src/contract/training-progress.ts).
import { describe, expect, it } from 'vitest';
import { BUDGETED_STEPS_PER_EPOCH, runClockText, runPosition, validationText, type TrainingProgress } from '../../src/contract/index.js';

const progress = (p: Partial<TrainingProgress>): TrainingProgress => ({
  phase: 'training', epoch: 1, epochs: 1, step: 0, steps: 10, loss: 0.5, valDice: null, slicesPerSecond: 2, etaSeconds: 60,
  elapsedSeconds: 0, budgetSeconds: null, validations: [], ...p,
});

describe('a training run\'s position', () => {
  it('counts steps against the planned steps when no budget is set, across epochs', () => {
    const p = runPosition(progress({ epoch: 3, epochs: 5, step: 4, steps: 10, elapsedSeconds: 999 }));
    expect(p).toMatchObject({ fraction: 24 / 50, endsBy: 'steps', stepsDone: 24, stepsPlanned: 50 });
    expect(p.text).toBe('training · step 24 of 50 · epoch 3/5');
    expect(runPosition(progress({ epoch: 5, epochs: 5, step: 10, steps: 10 })).fraction).toBe(1);
  });

  it('counts the run\'s clock against the budget for a retrain, whose step count never ends it', () => {
    const p = runPosition(progress({ step: 173, steps: BUDGETED_STEPS_PER_EPOCH, elapsedSeconds: 90, budgetSeconds: 120 }));
    expect(p).toMatchObject({ fraction: 0.75, endsBy: 'time', stepsDone: 173, stepsPlanned: null });
    expect(p.text).toBe('training · 1:30 of 2:00 min · step 173');
    // Past the budget (the step under way finishes, then the run validates): full, never more.
    expect(runPosition(progress({ phase: 'validating', step: 240, steps: BUDGETED_STEPS_PER_EPOCH, elapsedSeconds: 121, budgetSeconds: 120 })))
      .toMatchObject({ fraction: 1, text: 'validating epoch 1 · 2:01 of 2:00 min · step 240' });
  });

  it('with both limits, the one further along ends the run and leads the words', () => {
    const bySteps = runPosition(progress({ epochs: 2, step: 8, steps: 10, elapsedSeconds: 60, budgetSeconds: 600 }));
    expect(bySteps).toMatchObject({ fraction: 0.4, endsBy: 'steps', text: 'training · step 8 of 20 · 1:00 of 10:00 min · epoch 1/2' });
    const byTime = runPosition(progress({ epochs: 2, step: 2, steps: 10, elapsedSeconds: 300, budgetSeconds: 600 }));
    expect(byTime).toMatchObject({ fraction: 0.5, endsBy: 'time', text: 'training · 5:00 of 10:00 min · step 2 of 20 · epoch 1/2' });
  });

  it('loading counts against the budget but not as steps; its words say which patient', () => {
    const p = runPosition(progress({ phase: 'loading', epoch: 0, step: 1, steps: 4, elapsedSeconds: 6, budgetSeconds: 120 }));
    expect(p).toMatchObject({ fraction: 0.05, endsBy: 'time', stepsDone: 0, text: 'loading patient 2 of 4 · 0:06 of 2:00 min' });
    expect(runPosition(progress({ phase: 'loading', epoch: 0, step: 0, steps: 4 }))).toMatchObject({ fraction: 0, text: 'loading patient 1 of 4' });
    expect(runPosition(progress({ phase: 'validating', epoch: 0, step: 0, steps: BUDGETED_STEPS_PER_EPOCH, elapsedSeconds: 12, budgetSeconds: 120 })).text)
      .toBe('validating the starting model · 0:12 of 2:00 min · step 0');
  });

  it('writes the clock and the validations as a person reads them', () => {
    expect([runClockText(0), runClockText(65.9), runClockText(3720)]).toEqual(['0:00', '1:05', '62:00']);
    const percent = (d: number) => `${(d * 100).toFixed(1)} %`;
    expect(validationText({ validations: [{ step: 0, valDice: 0.8123 }, { step: 173, valDice: 0.8204 }] }, percent))
      .toBe('81.2 % before training → 82.0 % at step 173');
    expect(validationText({ validations: [] }, percent)).toBe('');
  });
});
