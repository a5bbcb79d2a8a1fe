import { describe, expect, it } from 'vitest';
import { ConfigError, INTERACTIVE_DEFAULTS, validateTrainConfig } from '../../src/ml/config.js';
import { parseClicks } from '../../src/cli/commands/eval.js';

describe('interactive model config', () => {
  it('keeps kind "interactive" and leaves automatic configs as they were', () => {
    const interactive = validateTrainConfig({ kind: 'interactive', ...INTERACTIVE_DEFAULTS });
    expect(interactive.kind).toBe('interactive');
    expect(interactive.workers).toBe(1);
    expect('kind' in validateTrainConfig({})).toBe(false);
    expect('kind' in validateTrainConfig({ kind: 'automatic' })).toBe(false);
    expect(() => validateTrainConfig({ kind: 'clicky' as never })).toThrow(ConfigError);
  });

  it('takes clickRounds for the interactive model only, 0 to 20', () => {
    expect(validateTrainConfig({ kind: 'interactive' }).clickRounds).toBeUndefined();
    expect(validateTrainConfig({ kind: 'interactive', clickRounds: 6 }).clickRounds).toBe(6);
    expect(() => validateTrainConfig({ clickRounds: 6 })).toThrow(/interactive model only/);
    expect(() => validateTrainConfig({ kind: 'interactive', clickRounds: 21 })).toThrow(/clickRounds/);
    expect(() => validateTrainConfig({ kind: 'interactive', clickRounds: Number('x') })).toThrow(/clickRounds/);
  });

  it('takes diceOver (batch or slice) for the interactive model only', () => {
    expect(validateTrainConfig({ kind: 'interactive' }).diceOver).toBeUndefined();
    expect(validateTrainConfig({ kind: 'interactive', diceOver: 'slice' }).diceOver).toBe('slice');
    expect(() => validateTrainConfig({ diceOver: 'slice' })).toThrow(/interactive model only/);
    expect(() => validateTrainConfig({ kind: 'interactive', diceOver: 'pixel' as never })).toThrow(/diceOver/);
  });

  it('takes weightAverage (a decay in (0, 1)) for the interactive model only', () => {
    expect(validateTrainConfig({ kind: 'interactive' }).weightAverage).toBeUndefined();
    expect(validateTrainConfig({ kind: 'interactive', weightAverage: 0.998 }).weightAverage).toBe(0.998);
    expect(() => validateTrainConfig({ weightAverage: 0.998 })).toThrow(/interactive model only/);
    expect(() => validateTrainConfig({ kind: 'interactive', weightAverage: 1 })).toThrow(/weightAverage/);
  });

  it('takes keepWeight (≥ 0) for the interactive model only', () => {
    expect(validateTrainConfig({ kind: 'interactive' }).keepWeight).toBeUndefined();
    expect(validateTrainConfig({ kind: 'interactive', keepWeight: 1 }).keepWeight).toBe(1);
    expect(() => validateTrainConfig({ keepWeight: 1 })).toThrow(/interactive model only/);
    expect(() => validateTrainConfig({ kind: 'interactive', keepWeight: -1 })).toThrow(/keepWeight/);
  });

  it('parses --clicks', () => {
    expect(parseClicks('1,3,5')).toEqual([1, 3, 5]);
    expect(() => parseClicks('0,3')).toThrow(/--clicks/);
    expect(() => parseClicks('1,x')).toThrow(/--clicks/);
    expect(() => parseClicks('21')).toThrow(/--clicks/);
  });
});
