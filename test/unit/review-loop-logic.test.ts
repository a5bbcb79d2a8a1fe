// The pure parts of issue #31: browser-mode keys in the command table, the "fix next" queue, messages that stay true.
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandForKey, keysOf } from '../../src/contract/commands.js';
import { trainedMessage } from '../../renderer/src/logic/format.js';
import { nextToReview, reviewQueue } from '../../renderer/src/logic/review-queue.js';
import type { SliceListing } from '../../src/contract/index.js';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean }> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('browser-mode keys', () => {
  it('never uses a key a browser keeps, and every key runs one command only', () => {
    const browserOwned = /^Ctrl\+(r|p|m|e|o|n|t|w|l|d|f|s|Shift\+(r|o|n|t|w|p))$/;
    const seen = new Map<string, string>();
    for (const c of COMMANDS) {
      for (const k of keysOf(c, 'browser')) {
        expect(k, c.id).not.toMatch(browserOwned);
        expect(seen.get(k), `${k}: ${c.id}`).toBeUndefined();
        seen.set(k, c.id);
      }
    }
  });
  it('maps Shift+letters in a browser only; Caps Lock alone makes none', () => {
    expect(commandForKey(press('R', { shiftKey: true }), 'browser')).toBe('model:retrain');
    expect(commandForKey(press('R', { shiftKey: true }), 'desktop')).toBeNull();
    expect(commandForKey(press('R'), 'browser')).toBeNull();
    expect(commandForKey(press('r'), 'browser')).toBe('edit:approve');
    expect(commandForKey(press('k', { ctrlKey: true }), 'browser')).toBe('palette:open');
    expect(keysOf(COMMANDS.find((c) => c.id === 'model:retrain')!, 'desktop')).toEqual(['Ctrl+r']);
  });
});

describe('the fix-next queue', () => {
  const slice = (id: number, approval: SliceListing['approval'] = null): SliceListing =>
    ({ id, patientId: 1, number: id, width: 4, height: 4, channels: 3, hasLesion: true, edited: false, lesionPixels: 1, approval });
  const ranking = [1, 2, 3].map((id) => ({ sliceId: id, disagreement: 10 - id, uncertainty: 1, score: 10 - id }));
  it('leaves edited or approved slices out of N and never returns to the shown one', () => {
    const queue = reviewQueue(ranking, [slice(1), slice(2, { by: 'x', at: '' } as never), slice(3)], new Set([1]));
    expect(queue.map((q) => q.done)).toEqual([true, true, false]);
    expect(nextToReview(queue, 1)).toBe(3);
    expect(nextToReview(queue, 3)).toBeNull();
  });
});

describe('a finished run\'s message', () => {
  it('says what is active now', () => {
    const run = { modelId: 2, valDice: null, baselineValDice: null, accepted: true };
    expect(trainedMessage(run, 1)).toBe('Model 2 trained (no validation patients to score it on); it was made active. Model 1 is active now.');
    expect(trainedMessage({ ...run, accepted: false }, 2)).toMatch(/activated anyway/);
  });
});
