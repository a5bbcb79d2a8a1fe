// What the interactive run chooses its best epoch by: the click protocol on the validation patients' lesion
// slices at the input size (brainseg eval --clicks measures at each slice's own resolution).
import type { PreparedVolume } from '../dataset.js';
import { INPUT_CHANNELS } from '../config.js';
import { simulateClicks, type ClickCase, type InteractivePredictor } from './protocol.js';

/** Clicks simulated per validation slice. */
export const VALIDATION_CLICKS = 3;

/** Every lesion slice of the volumes, at the input size, starting from its proposal. */
export function validationCases(volumes: readonly PreparedVolume[], proposals: readonly Uint8Array[]): ClickCase[] {
  return volumes.flatMap((volume, v) => {
    const size = volume.size;
    const plane = size * size;
    return volume.patient.slices.flatMap((_, i) => {
      const truth = volume.masks.subarray(i * plane, (i + 1) * plane);
      if (!truth.some((t) => t !== 0)) return [];
      return [{
        image: volume.images.subarray(i * plane * INPUT_CHANNELS, (i + 1) * plane * INPUT_CHANNELS),
        width: size, height: size, truth, proposal: proposals[v]!.subarray(i * plane, (i + 1) * plane),
      }];
    });
  });
}

/**
 * Mean Dice after 0…{@link VALIDATION_CLICKS} clicks, how many slices end a click below their proposal, and the
 * score an epoch is chosen by: the mean of Dice after 1 click and after 3.
 */
export async function scoreClicks(
  predict: InteractivePredictor,
  cases: readonly ClickCase[],
  size: number,
): Promise<{ dice: number[]; belowProposal: number; score: number }> {
  const traces = await simulateClicks(predict, cases, size, VALIDATION_CLICKS);
  const dice = Array.from({ length: VALIDATION_CLICKS + 1 }, (_, k) => traces.reduce((s, t) => s + t.dice[k]!, 0) / traces.length);
  const belowProposal = traces.filter((t) => t.dice.slice(1).some((d) => d < t.dice[0]! - 1e-9)).length;
  return { dice, belowProposal, score: (dice[1]! + dice[VALIDATION_CLICKS]!) / 2 };
}
