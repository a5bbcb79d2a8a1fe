import { describe, expect, it } from 'vitest';
import { assembleInput, CLICK_RADIUS, encodeClicks, GUIDANCE_VALUE, INTERACTIVE_CHANNELS } from '../../src/ml/interactive/encoding.js';

describe('click encoding and input assembly', () => {
  it('draws each click as a disk in its own map', () => {
    const { positive, negative } = encodeClicks([{ x: 10, y: 10, positive: true }, { x: 0, y: 0, positive: false }], 32);
    const area = (map: Float32Array) => map.filter((v) => v > 0).length;
    // A disk of radius 3: 29 pixels; the corner click keeps its quarter (with the axes): 11.
    expect(CLICK_RADIUS).toBe(3);
    expect(area(positive)).toBe(29);
    expect(area(negative)).toBe(11);
    expect(positive[10 * 32 + 10]).toBe(GUIDANCE_VALUE);
    expect(positive[10 * 32 + 14]).toBe(0);
    expect(new Set(positive)).toEqual(new Set([0, GUIDANCE_VALUE]));
  });

  it('lays out image, positive clicks, negative clicks and mask, channels last', () => {
    const size = 8;
    const plane = size * size;
    const image = Float32Array.from({ length: plane * 3 }, (_, i) => i / 10);
    const mask = new Uint8Array(plane);
    mask[5] = 1;
    const out = assembleInput(image, [{ x: 7, y: 7, positive: true }, { x: 0, y: 0, positive: false }], mask, size, new Float32Array(2 * plane * INTERACTIVE_CHANNELS), 1);
    const at = (pixel: number, channel: number) => out[(plane + pixel) * INTERACTIVE_CHANNELS + channel];
    expect(out.subarray(0, plane * INTERACTIVE_CHANNELS).every((v) => v === 0)).toBe(true); // sample 0 untouched
    expect([at(3, 0), at(3, 1), at(3, 2)]).toEqual([image[9], image[10], image[11]]);
    expect(at(63, 3)).toBe(GUIDANCE_VALUE);
    expect(at(63, 4)).toBe(0);
    expect(at(0, 4)).toBe(GUIDANCE_VALUE);
    expect(at(5, 5)).toBe(GUIDANCE_VALUE);
    expect(at(6, 5)).toBe(0);
    expect(() => assembleInput(image, [], new Uint8Array(3), size)).toThrow(/mask/);
  });
});
