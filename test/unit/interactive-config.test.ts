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

  it('parses --clicks', () => {
    expect(parseClicks('1,3,5')).toEqual([1, 3, 5]);
    expect(() => parseClicks('0,3')).toThrow(/--clicks/);
    expect(() => parseClicks('1,x')).toThrow(/--clicks/);
    expect(() => parseClicks('21')).toThrow(/--clicks/);
  });
});
