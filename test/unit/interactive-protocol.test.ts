import { describe, expect, it } from 'vitest';
import { GUIDANCE_VALUE, INTERACTIVE_CHANNELS } from '../../src/ml/interactive/encoding.js';
import { propagateVolume, propagationPrompt } from '../../src/ml/interactive/propagate.js';
import { clicksToReach, refineMasks, simulateClicks, type ClickCase } from '../../src/ml/interactive/protocol.js';
import { dice } from '../../src/ml/metrics.js';
import { promptKind, PROMPT_SHARES } from '../../src/ml/interactive/batch.js';

const SIZE = 32;
const PLANE = SIZE * SIZE;

function disk(size: number, cx: number, cy: number, r: number): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out[y * size + x] = 1;
  return out;
}

/** A stand-in network: the current mask, with each positive click's disk added and each negative one's removed. */
function clickPainter(inputs: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count * PLANE);
  for (let i = 0; i < count * PLANE; i++) {
    const at = (c: number) => inputs[i * INTERACTIVE_CHANNELS + c]! / GUIDANCE_VALUE;
    out[i] = Math.min(1, Math.max(0, at(5) + at(3) - at(4)));
  }
  return out;
}

/** A stand-in network that finds the lesion (channel 0 of the image) when the prompt or a positive click touches it. */
function lesionFinder(inputs: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count * PLANE);
  for (let n = 0; n < count; n++) {
    let touches = false;
    for (let i = 0; i < PLANE; i++) {
      const o = (n * PLANE + i) * INTERACTIVE_CHANNELS;
      if (inputs[o]! > 0 && (inputs[o + 5]! > 0 || inputs[o + 3]! > 0)) touches = true;
    }
    for (let i = 0; i < PLANE; i++) out[n * PLANE + i] = touches ? inputs[(n * PLANE + i) * INTERACTIVE_CHANNELS]! : 0;
  }
  return out;
}

/** An image whose first channel is the lesion itself (what lesionFinder reads). */
function imageOf(truth: Uint8Array): Float32Array {
  const image = new Float32Array(truth.length * 3);
  truth.forEach((v, i) => (image[i * 3] = v));
  return image;
}

describe('click protocol', () => {
  it('improves a missed lesion click by click, deterministically, and counts clicks to a Dice', async () => {
    const truth = disk(SIZE, 16, 16, 7);
    const cases: ClickCase[] = [
      { image: new Float32Array(PLANE * 3), width: SIZE, height: SIZE, truth, proposal: new Uint8Array(PLANE) },
      { image: new Float32Array(PLANE * 3), width: SIZE, height: SIZE, truth, proposal: truth },
    ];
    const traces = await simulateClicks(clickPainter, cases, SIZE, 6, { keep: [1, 3] });
    const [missed, perfect] = traces;
    expect(missed!.dice[0]).toBe(0);
    for (let k = 1; k < missed!.dice.length; k++) expect(missed!.dice[k]).toBeGreaterThanOrEqual(missed!.dice[k - 1]!);
    expect(missed!.dice[6]).toBeGreaterThan(0.6);
    expect(missed!.clicks[0]).toEqual({ x: 16, y: 16, positive: true });
    expect(dice(missed!.kept.get(1)!, truth)).toBe(missed!.dice[1]);
    expect(dice(missed!.kept.get(3)!, truth)).toBe(missed!.dice[3]);
    expect(perfect!.clicks).toEqual([]);
    expect(perfect!.dice).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(clicksToReach(perfect!, 0.9)).toBe(0);
    expect(clicksToReach({ dice: [0, 0.5, 0.86, 0.95] }, 0.85)).toBe(2);
    expect(clicksToReach({ dice: [0, 0.5] }, 0.9, 20)).toBe(20);
    const again = await simulateClicks(clickPainter, cases, SIZE, 6);
    expect(again.map((t) => t.dice)).toEqual(traces.map((t) => t.dice));
  });

  it('stops clicking a case once `done` says so', async () => {
    const truth = disk(SIZE, 16, 16, 7);
    const cases: ClickCase[] = [{ image: new Float32Array(PLANE * 3), width: SIZE, height: SIZE, truth, proposal: new Uint8Array(PLANE) }];
    const [trace] = await simulateClicks(clickPainter, cases, SIZE, 8, { done: (t) => t.clicks.length >= 2 });
    expect(trace!.clicks).toHaveLength(2);
    expect(trace!.dice).toHaveLength(9);
    expect(trace!.dice[8]).toBe(trace!.dice[2]);
  });

  it('refines at the slice\'s own resolution: clicks and mask scaled to the input and the result back', async () => {
    const native = 64;
    const mask = disk(native, 20, 20, 6);
    const [out] = await refineMasks(clickPainter, [{ image: new Float32Array(PLANE * 3), width: native, height: native, clicks: [{ x: 44, y: 44, positive: true }], mask }], SIZE);
    expect(out).toHaveLength(native * native);
    expect(out![20 * native + 20]).toBe(1);
    expect(out![44 * native + 44]).toBe(1);
    expect(out![2 * native + 60]).toBe(0);
  });

  it('propagates from the largest lesion slice up and down until the lesion ends', async () => {
    // Seven slices; the lesion on slices 2–5, largest on 4, overlapping from slice to slice; slice 0 has a separate one.
    const truths = [disk(SIZE, 5, 5, 2), new Uint8Array(PLANE), disk(SIZE, 14, 14, 3), disk(SIZE, 15, 15, 5), disk(SIZE, 16, 16, 7), disk(SIZE, 17, 16, 4), new Uint8Array(PLANE)];
    const proposals = truths.map(() => new Uint8Array(PLANE));
    const masks = await propagateVolume(lesionFinder, { images: truths.map(imageOf), truths, proposals, width: SIZE, height: SIZE }, SIZE);
    expect(masks!.map((m, i) => dice(m, truths[i]!))).toEqual([0, 1, 1, 1, 1, 1, 1]);
    expect(masks![0]!.some((v) => v)).toBe(false); // beyond the empty slice 1: never reached
    expect(await propagateVolume(lesionFinder, { images: [imageOf(new Uint8Array(PLANE))], truths: [new Uint8Array(PLANE)], proposals: [new Uint8Array(PLANE)], width: SIZE, height: SIZE }, SIZE)).toBeNull();
  });

  it("leads each slice's prompt by the mask carried to it: the slice's own proposal where the two overlap, else that mask", () => {
    const carried = disk(SIZE, 16, 16, 5);
    const ownOverlapping = disk(SIZE, 19, 16, 6); // the same lesion, shaped as this slice's automatic model sees it
    const ownElsewhere = disk(SIZE, 4, 4, 2); // a different lesion only
    expect(propagationPrompt(carried, ownOverlapping)).toBe(ownOverlapping);
    expect(propagationPrompt(carried, ownElsewhere)).toBe(carried);
    expect(propagationPrompt(carried, new Uint8Array(PLANE))).toBe(carried);
    expect(propagationPrompt(carried, null)).toBe(carried);
  });

  it('draws prompts in the stated shares', () => {
    expect(PROMPT_SHARES.proposal + PROMPT_SHARES.neighbour + PROMPT_SHARES.empty).toBeCloseTo(1, 12);
    expect([0, 0.59, 0.6, 0.84, 0.85, 0.999].map(promptKind)).toEqual(['proposal', 'proposal', 'neighbour', 'neighbour', 'empty', 'empty']);
  });
});
