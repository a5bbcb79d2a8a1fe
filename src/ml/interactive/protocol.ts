// The click protocol shared by training's validation and `brainseg eval --clicks`: start from a proposal, click
// where it is most wrong (clicks.ts), let the network refine, repeat. Deterministic: no randomness anywhere.
import { dice } from '../metrics.js';
import { resizeMaskNearest } from '../preprocess.js';
import { toNativeResolution } from '../predict.js';
import { nextClick, scaleClick, type Click } from './clicks.js';
import { assembleInput, INTERACTIVE_CHANNELS } from './encoding.js';
import { mergeAtClick } from './local-update.js';

/** Runs the interactive network on assembled inputs ([count, size, size, 6]) and returns probabilities. */
export type InteractivePredictor = (inputs: Float32Array, count: number) => Float32Array | Promise<Float32Array>;

/** One slice to refine: its normalised image at the input size; clicks and masks at the slice's own resolution. */
export interface RefineItem {
  image: Float32Array;
  width: number;
  height: number;
  clicks: readonly Click[];
  mask: Uint8Array;
}

/** The network's masks (0/1 at each slice's resolution, threshold 0.5) for slices with their clicks and masks. */
export async function refineMasks(predict: InteractivePredictor, items: readonly RefineItem[], size: number): Promise<Uint8Array[]> {
  const plane = size * size;
  const inputs = new Float32Array(items.length * plane * INTERACTIVE_CHANNELS);
  items.forEach((item, i) => {
    const scaled = item.width === size && item.height === size
      ? item.clicks
      : item.clicks.map((c) => scaleClick(c, item.width, item.height, size, size));
    const mask = item.width === size && item.height === size ? item.mask : resizeMaskNearest(item.mask, item.width, item.height, size, size);
    assembleInput(item.image, scaled, mask, size, inputs, i);
  });
  const probabilities = items.length ? await predict(inputs, items.length) : new Float32Array(0);
  return items.map((item, i) => {
    const native = toNativeResolution(probabilities.subarray(i * plane, (i + 1) * plane), size, item.width, item.height);
    const out = new Uint8Array(native.length);
    for (let j = 0; j < native.length; j++) out[j] = native[j]! >= 0.5 ? 1 : 0;
    return out;
  });
}

/** A slice to click on: the truth and the starting proposal (e.g. the automatic model's mask), same resolution. */
export interface ClickCase {
  image: Float32Array;
  width: number;
  height: number;
  truth: Uint8Array;
  proposal: Uint8Array;
}

/** Dice after 0…rounds clicks, and the clicks, per case. */
export interface ClickTrace {
  /** dice[k]: after k clicks (dice[0] is the proposal's). */
  dice: number[];
  clicks: Click[];
  mask: Uint8Array;
  /** The mask after k clicks, for each k asked for with `keep`. */
  kept: Map<number, Uint8Array>;
}

/**
 * Simulates `rounds` clicks on each case: each round clicks where the current mask is most wrong and asks the
 * network for a new mask from the image, all clicks so far, and the current mask, taken where the click is about
 * (mergeAtClick), as the app takes it. A case without any error left
 * takes no more clicks (its Dice stays), nor does one for which `done` says so (to cut a NoC run short once a case
 * has what is measured). Cases go through the network `batch` at a time.
 */
export async function simulateClicks(
  predict: InteractivePredictor,
  cases: readonly ClickCase[],
  size: number,
  rounds: number,
  { batch = 16, done, keep = [] }: { batch?: number; done?: (trace: ClickTrace) => boolean; keep?: readonly number[] } = {},
): Promise<ClickTrace[]> {
  const traces: ClickTrace[] = cases.map((c) => ({ dice: [dice(c.proposal, c.truth)], clicks: [], mask: c.proposal, kept: new Map() }));
  for (let round = 1; round <= rounds; round++) {
    const active: number[] = [];
    cases.forEach((c, i) => {
      if (done?.(traces[i]!)) return;
      const click = nextClick(traces[i]!.mask, c.truth, c.width, c.height);
      if (click) {
        traces[i]!.clicks.push(click);
        active.push(i);
      }
    });
    for (let start = 0; start < active.length; start += batch) {
      const chunk = active.slice(start, start + batch);
      const masks = await refineMasks(predict, chunk.map((i) => ({ ...cases[i]!, clicks: traces[i]!.clicks, mask: traces[i]!.mask })), size);
      chunk.forEach((i, j) => {
        const t = traces[i]!;
        const c = cases[i]!;
        t.mask = mergeAtClick(t.mask, masks[j]!, t.clicks[t.clicks.length - 1]!, c.width, c.height, size);
      });
    }
    traces.forEach((t, i) => {
      t.dice.push(dice(t.mask, cases[i]!.truth));
      if (keep.includes(round)) t.kept.set(round, t.mask);
    });
  }
  return traces;
}

/** Clicks needed to reach Dice ≥ `threshold` (0 if the proposal does), `cap` when never within the trace. */
export function clicksToReach(trace: Pick<ClickTrace, 'dice'>, threshold: number, cap = 20): number {
  const k = trace.dice.findIndex((d) => d >= threshold);
  return k < 0 ? cap : Math.min(k, cap);
}
