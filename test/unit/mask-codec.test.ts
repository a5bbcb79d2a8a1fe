import { describe, expect, it } from 'vitest';
import { countForeground, decodeMask, encodeMask } from '../../src/imaging/mask-codec.js';

function randomMask(width: number, height: number, seed: number) {
  let state = seed;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = state % 7 === 0 ? 1 : 0;
  }
  return { width, height, data };
}

describe('mask codec', () => {
  it.each([
    [256, 256],
    [7, 3],
    [1, 1],
    [513, 129],
  ])('round-trips a %i×%i mask exactly', (width, height) => {
    const mask = randomMask(width, height, width * 31 + height);
    const decoded = decodeMask(encodeMask(mask));
    expect(decoded.width).toBe(width);
    expect(decoded.height).toBe(height);
    expect(Buffer.from(decoded.data).equals(Buffer.from(mask.data))).toBe(true);
  });

  it('stores a typical lesion mask in well under 1 KiB', () => {
    const data = new Uint8Array(256 * 256);
    for (let y = 100; y < 140; y++) for (let x = 90; x < 150; x++) data[y * 256 + x] = 1;
    expect(encodeMask({ width: 256, height: 256, data }).length).toBeLessThan(1024);
    expect(countForeground(data)).toBe(40 * 60);
  });

  it('refuses a blob that is not a stored mask, and a mask whose size lies', () => {
    expect(() => decodeMask(Buffer.from('not a mask at all'))).toThrow(/format/);
    expect(() => encodeMask({ width: 3, height: 3, data: new Uint8Array(8) })).toThrow(/claims/);
  });
});
