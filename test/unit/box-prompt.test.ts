// A box drag as the interactive model's prompt (issue #29, src/ml/interactive/box-prompt.ts), on a real slice's
// lesion: the cut keeps exactly what is inside the box, and the seed click lands inside both box and lesion.
import { describe, expect, it } from 'vitest';
import { boxSeed, clipToBox, insideBox, SEED_MIN_PROBABILITY } from '../../src/ml/interactive/box-prompt.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const CASE = 'TCGA_CS_6665_20010817';

/** The lesion's bounding box on a slice (0/1 mask), grown by `margin` pixels and cut to the image. */
function boundingBox(mask: Uint8Array, width: number, height: number, margin = 0) {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  mask.forEach((v, i) => {
    if (!v) return;
    const x = i % width;
    const y = Math.floor(i / width);
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  });
  x0 = Math.max(0, x0 - margin);
  y0 = Math.max(0, y0 - margin);
  x1 = Math.min(width - 1, x1 + margin);
  y1 = Math.min(height - 1, y1 + margin);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

describe('the box prompt', () => {
  it('cuts a mask to the box: every pixel inside kept, none outside', async () => {
    const { image, mask } = await readSampleSlice(CASE, 18);
    const { width, height } = image;
    const lesion = boundingBox(mask, width, height);
    const half = { ...lesion, width: Math.ceil(lesion.width / 2) }; // the lesion's left half only
    const cut = clipToBox(mask, half, width, height);
    let kept = 0;
    mask.forEach((v, i) => {
      const inside = insideBox(half, i % width, Math.floor(i / width));
      expect(cut[i]).toBe(inside ? v : 0);
      kept += cut[i]!;
    });
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(mask.reduce((n, v) => n + v, 0));
  });

  it('seeds at the interior of the lesion the model sees in the box, else its most probable pixel, else the centre', async () => {
    const { image, mask } = await readSampleSlice(CASE, 18);
    const { width, height } = image;
    const box = boundingBox(mask, width, height, 10);
    // The reference as the automatic model's probabilities: the seed is lesion, inside the box, off its border.
    const seed = boxSeed(mask.map((v) => (v ? 255 : 0)), box, width, height);
    expect(seed.positive).toBe(true);
    expect(insideBox(box, seed.x, seed.y)).toBe(true);
    for (const [dx, dy] of [[0, 0], [2, 0], [-2, 0], [0, 2], [0, -2]] as const) expect(mask[(seed.y + dy) * width + seed.x + dx]).toBe(1);
    // Nothing over 0.5: the most probable pixel, if the model saw anything there at all.
    const faint = new Uint8Array(width * height);
    faint[(box.y + 3) * width + box.x + 4] = 100;
    expect(boxSeed(faint, box, width, height)).toEqual({ x: box.x + 4, y: box.y + 3, positive: true });
    faint[(box.y + 3) * width + box.x + 4] = SEED_MIN_PROBABILITY - 1;
    const centre = { x: Math.floor((2 * box.x + box.width - 1) / 2), y: Math.floor((2 * box.y + box.height - 1) / 2), positive: true };
    expect(boxSeed(faint, box, width, height)).toEqual(centre);
    // Lesion the model sees outside the box does not pull the seed out of it.
    const outside = new Uint8Array(width * height).fill(255);
    const small = { x: 5, y: 5, width: 9, height: 7 };
    const around = outside.map((v, i) => (insideBox(small, i % width, Math.floor(i / width)) ? 0 : v));
    expect(boxSeed(around, small, width, height)).toEqual({ x: 9, y: 8, positive: true }); // the small box's centre
  });
});
