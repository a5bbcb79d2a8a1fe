import { describe, expect, it } from 'vitest';
import { largestRegion, nextClick, scaleClick, squaredDistanceTransform } from '../../src/ml/interactive/clicks.js';
import { readSampleSlice } from '../helpers/sample-data.js';

/** Brute force: squared distance from each region pixel to the nearest pixel outside it (beyond the border counts). */
function bruteForce(region: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!region[y * width + x]) continue;
      let best = Infinity;
      for (let yy = -1; yy <= height; yy++) {
        for (let xx = -1; xx <= width; xx++) {
          const outside = xx < 0 || yy < 0 || xx >= width || yy >= height || !region[yy * width + xx];
          if (outside) best = Math.min(best, (xx - x) ** 2 + (yy - y) ** 2);
        }
      }
      out[y * width + x] = best;
    }
  }
  return out;
}

function seededMask(width: number, height: number, seed: number, density: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: width * height }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 < density ? 1 : 0;
  });
}

function disk(width: number, height: number, cx: number, cy: number, r: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out[y * width + x] = 1;
  return out;
}

/** Dilates a binary mask by `r` pixels (square). */
function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height) out[yy * width + xx] = 1;
        }
      }
    }
  }
  return out;
}

describe('click simulation', () => {
  it('computes the exact squared Euclidean distance transform, the image border counting as outside', () => {
    for (const [width, height, density, seed] of [[17, 11, 0.8, 1], [9, 23, 0.95, 2], [30, 30, 0.6, 3], [5, 5, 1, 4]] as const) {
      const region = seededMask(width, height, seed, density);
      expect(Array.from(squaredDistanceTransform(region, width, height))).toEqual(Array.from(bruteForce(region, width, height)));
    }
  });

  it('keeps the largest 4-connected region only', () => {
    const mask = new Uint8Array(8 * 8);
    [0, 1, 8, 9, 10].forEach((i) => (mask[i] = 1)); // 5 pixels
    [27, 36].forEach((i) => (mask[i] = 1)); // 2 pixels, diagonal to nothing
    mask[63] = 1;
    const found = largestRegion(mask, 8, 8)!;
    expect(found.area).toBe(5);
    expect(Array.from(found.region).reduce((a, b) => a + b, 0)).toBe(5);
    expect(largestRegion(new Uint8Array(64), 8, 8)).toBeNull();
  });

  it('clicks positive at the centre of a missed disk and negative at the centre of a false one', () => {
    const truth = disk(41, 41, 20, 20, 8);
    expect(nextClick(new Uint8Array(truth.length), truth, 41, 41)).toEqual({ x: 20, y: 20, positive: true });
    const predicted = disk(41, 41, 10, 30, 6);
    expect(nextClick(predicted, new Uint8Array(truth.length), 41, 41)).toEqual({ x: 10, y: 30, positive: false });
    expect(nextClick(truth, truth, 41, 41)).toBeNull();
  });

  it('picks the largest error region, whichever its sign', () => {
    const truth = disk(64, 64, 16, 16, 5); // missed entirely: ~81 px
    const predicted = disk(64, 64, 45, 45, 9); // false positive: ~253 px
    expect(nextClick(predicted, truth, 64, 64)).toEqual({ x: 45, y: 45, positive: false });
    const bigMiss = disk(64, 64, 16, 16, 12);
    expect(nextClick(predicted, bigMiss, 64, 64)).toEqual({ x: 16, y: 16, positive: true });
  });

  it('is deterministic and lands inside the error on a real LGG slice', async () => {
    const { image, mask } = await readSampleSlice('TCGA_CS_6666_20011109', 20);
    const { width, height } = image;
    const lesion = mask.reduce((a, b) => a + b, 0);
    expect(lesion).toBeGreaterThan(100);
    // Nothing predicted: a positive click at the lesion's deepest point.
    const first = nextClick(new Uint8Array(mask.length), mask, width, height)!;
    expect(first.positive).toBe(true);
    expect(mask[first.y * width + first.x]).toBe(1);
    const region = largestRegion(mask, width, height)!.region;
    const depth = bruteForce(region, width, height);
    expect(depth[first.y * width + first.x]).toBe(Math.max(...depth));
    expect(nextClick(new Uint8Array(mask.length), mask, width, height)).toEqual(first);
    // An over-segmentation by 6 px: a negative click outside the lesion.
    const grown = dilate(mask, width, height, 6);
    const second = nextClick(grown, mask, width, height)!;
    expect(second.positive).toBe(false);
    expect(mask[second.y * width + second.x]).toBe(0);
    expect(grown[second.y * width + second.x]).toBe(1);
  });

  it('maps a click between resolutions, pixel centre to pixel centre', () => {
    expect(scaleClick({ x: 0, y: 255, positive: true }, 256, 256, 128, 128)).toEqual({ x: 0, y: 127, positive: true });
    expect(scaleClick({ x: 101, y: 64, positive: false }, 256, 256, 128, 128)).toEqual({ x: 50, y: 32, positive: false });
    expect(scaleClick({ x: 50, y: 32, positive: true }, 128, 128, 256, 256)).toEqual({ x: 101, y: 65, positive: true });
  });
});
