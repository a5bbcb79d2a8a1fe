// The mask tools' pixel results and state machines, on typed arrays (Konva only draws them), with real
// FLAIR slices and masks where intensities matter.
import { describe, expect, it, vi } from 'vitest';
import { acceptPredictionDisc, intensityFilter, paintDisc, paintSegment, rangeAround } from '../../src/editing/brush.js';
import { MaskHistory } from '../../src/editing/history.js';
import { fillEnclosedRegion, fillHoles, fillPolygon, floodFill, replaceMask } from '../../src/editing/region.js';
import { rankSlices, reviewSlice } from '../../src/review/rank-slices.js';
import { SaveQueue, type PendingMask } from '../../src/editing/save-queue.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const sum = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);

/** Connected 4-neighbourhood components of a binary mask. */
function components(mask: Uint8Array, width: number): number {
  const seen = mask.slice();
  let count = 0;
  for (let i = 0; i < seen.length; i++) {
    if (seen[i] !== 1) continue;
    count++;
    floodFill(seen, width, seen.length / width, i % width, Math.floor(i / width), 0);
  }
  return count;
}

/** A slice of the sample patient used throughout, with its size spelled out. */
async function realSlice(n: number) {
  const { image, mask } = await readSampleSlice('TCGA_CS_6665_20010817', n);
  return { image, width: image.width, height: image.height, mask };
}

describe('brush and eraser', () => {
  it('paints a round footprint of the expected area and erases it again', () => {
    const mask = new Uint8Array(64 * 64);
    const painted = paintDisc(mask, 64, 64, { x: 32, y: 32 }, 5, 1);
    expect(painted).toBeGreaterThan(Math.PI * 25 * 0.85);
    expect(painted).toBeLessThan(Math.PI * 25 * 1.15);
    expect(mask[32 * 64 + 32]).toBe(1);
    expect(mask[32 * 64 + 38]).toBe(0); // 6 px right of the centre: outside radius 5
    expect(paintDisc(mask, 64, 64, { x: 32, y: 32 }, 5, 0)).toBe(painted);
    expect(sum(mask)).toBe(0);
  });

  it('a single pixel at radius 0.5, and clipping at the image edge', () => {
    const mask = new Uint8Array(16 * 16);
    expect(paintDisc(mask, 16, 16, { x: 3.5, y: 4.5 }, 0.5, 1)).toBe(1);
    expect(mask[4 * 16 + 3]).toBe(1);
    expect(paintDisc(mask, 16, 16, { x: 0, y: 0 }, 4, 1)).toBeGreaterThan(5);
  });

  it('keeps a fast stroke continuous: pointer events 40 px apart leave one connected band', () => {
    const mask = new Uint8Array(256 * 256);
    const points = [{ x: 10, y: 10 }, { x: 50, y: 30 }, { x: 90, y: 70 }, { x: 130, y: 60 }, { x: 200, y: 200 }];
    for (let k = 1; k < points.length; k++) paintSegment(mask, 256, 256, points[k - 1]!, points[k]!, 2, 1);
    expect(components(mask, 256)).toBe(1);
    expect(mask[30 * 256 + 50]).toBe(1);
    expect(mask[130 * 256 + 165]).toBe(1); // on the long last segment, between events
  });

  it('reports the rectangle a segment touched, or null when nothing changed', () => {
    const mask = new Uint8Array(64 * 64);
    const rect = paintSegment(mask, 64, 64, { x: 10, y: 10 }, { x: 20, y: 12 }, 2, 1)!;
    expect(rect.x0).toBeLessThanOrEqual(8);
    expect(rect.x1).toBeGreaterThanOrEqual(22);
    expect(paintSegment(mask, 64, 64, { x: 10, y: 10 }, { x: 20, y: 12 }, 2, 1)).toBeNull();
  });
});

describe('threshold brush on a real FLAIR slice', () => {
  it('takes its window from the clicked pixel and paints only pixels inside it', async () => {
    const { image, width, height, mask } = await realSlice(12);
    // A lesion pixel: the brightest FLAIR value inside the radiologist's mask.
    let seed = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] && image.data[i * 3 + 1]! > image.data[seed * 3 + 1]!) seed = i;
    const value = image.data[seed * 3 + 1]!;
    const range = rangeAround(value);
    expect(range).toEqual({ low: Math.max(0, value - 25), high: Math.min(255, value + 25) });
    const filter = intensityFilter(image, 1, range);
    const painted = new Uint8Array(mask.length);
    const plain = new Uint8Array(mask.length);
    const centre = { x: (seed % width) + 0.5, y: Math.floor(seed / width) + 0.5 };
    paintDisc(painted, width, height, centre, 12, 1, filter);
    paintDisc(plain, width, height, centre, 12, 1);
    expect(sum(painted)).toBeGreaterThan(0);
    expect(sum(painted)).toBeLessThan(sum(plain));
    for (let i = 0; i < painted.length; i++) {
      if (painted[i]) expect(image.data[i * 3 + 1]).toBeGreaterThanOrEqual(range.low);
      if (painted[i]) expect(image.data[i * 3 + 1]).toBeLessThanOrEqual(range.high);
    }
  });
});

/** A w×w mask (w ≥ 17) holding a closed square outline around an empty hole of 64 pixels at its centre. */
function squareRing(w: number): Uint8Array {
  const ring = new Uint8Array(w * w);
  fillPolygon(ring, w, w, [{ x: 4, y: 4 }, { x: 16, y: 4 }, { x: 16, y: 16 }, { x: 4, y: 16 }], 1);
  fillPolygon(ring, w, w, [{ x: 6, y: 6 }, { x: 14, y: 6 }, { x: 14, y: 14 }, { x: 6, y: 14 }], 0);
  return ring;
}

describe('region tools', () => {
  it('flood-fills a closed outline and fills holes, but not the outside', () => {
    const w = 20;
    const ring = squareRing(w);
    const holes = ring.slice();
    expect(fillHoles(holes, w, w)).toBe(64);
    expect(holes[10 * w + 10]).toBe(1);
    expect(holes[1 * w + 1]).toBe(0);
    const filled = ring.slice();
    expect(floodFill(filled, w, w, 10, 10, 1)).toBe(64);
    expect(filled).toEqual(holes);
    expect(floodFill(filled, w, w, 10, 10, 1)).toBe(0); // already filled
  });

  it('the fill tool fills an enclosed region and refuses, changing nothing, one that reaches the edge', () => {
    const w = 20;
    const ring = squareRing(w);
    const before = ring.slice();
    expect(fillEnclosedRegion(ring, w, w, 1, 1)).toBeNull();
    expect(ring).toEqual(before);
    expect(fillEnclosedRegion(ring, w, w, 5, 5)).toBe(0); // on the mask itself
    expect(fillEnclosedRegion(ring, w, w, 10, 10)).toBe(64);
    expect(ring[10 * w + 10]).toBe(1);
  });

  it('fills and erases the inside of a lasso (even-odd, pixel centres)', () => {
    const w = 10;
    const mask = new Uint8Array(w * w);
    expect(fillPolygon(mask, w, w, [{ x: 2, y: 2 }, { x: 8, y: 2 }, { x: 8, y: 8 }, { x: 2, y: 8 }], 1)).toBe(36);
    expect(fillPolygon(mask, w, w, [{ x: 2, y: 2 }, { x: 8, y: 2 }, { x: 2, y: 8 }], 0)).toBeGreaterThan(10); // a triangle erased
    expect(mask[7 * w + 7]).toBe(1);
    expect(mask[3 * w + 3]).toBe(0);
    expect(fillPolygon(mask, w, w, [{ x: 1, y: 1 }, { x: 2, y: 2 }], 1)).toBe(0); // not a polygon
  });

  it('accepts the prediction inside the brush only, and whole-slice replacement counts changes', async () => {
    const { width, height, mask } = await realSlice(12);
    const prediction = new Uint8Array(mask.length).fill(255); // a model that says "lesion" everywhere
    const edited = mask.slice();
    const changed = acceptPredictionDisc(edited, width, height, prediction, 0.5, { x: 20, y: 20 }, 5);
    expect(changed).toBeGreaterThan(60);
    expect(sum(edited) - sum(mask)).toBe(changed);
    expect(edited[200 * width + 200]).toBe(mask[200 * width + 200]); // outside the brush: untouched
    expect(() => replaceMask(edited, new Uint8Array(3))).toThrow(/sizes differ/);
    expect(replaceMask(edited, mask)).toBe(changed);
  });
});

describe('undo history', () => {
  it('undoes and redoes whole operations, at least 50 deep, and a new edit clears the redo stack', () => {
    const history = new MaskHistory();
    const mask = new Uint8Array(4);
    for (let k = 1; k <= 60; k++) {
      history.record(mask);
      mask[0] = k;
    }
    for (let k = 59; k >= 0; k--) {
      mask.set(history.undo(mask)!);
      expect(mask[0]).toBe(k);
    }
    expect(history.undo(mask)).toBeNull();
    mask.set(history.redo(mask)!);
    expect(mask[0]).toBe(1);
    history.record(mask);
    mask[0] = 99;
    expect(history.canRedo).toBe(false);
    expect(history.undo(mask)![0]).toBe(1);
  });
});

describe('save queue', () => {
  const mask = (sliceId: number, v: number): PendingMask => ({ sliceId, width: 2, height: 1, data: new Uint8Array([v, v]), operation: 'brush' });

  it('saves each stroke shortly after it ends, coalescing a burst on one slice into the latest mask', async () => {
    vi.useFakeTimers();
    try {
      const saved: PendingMask[] = [];
      const queue = new SaveQueue(async (m) => saved.push(m), undefined, 250);
      const edit = mask(1, 0);
      queue.enqueue(edit);
      edit.data[0] = 1; // the caller keeps painting its own array: the queue saved a copy
      queue.enqueue(mask(1, 1));
      queue.enqueue(mask(2, 1));
      expect(saved).toEqual([]);
      expect(queue.pending).toBe(2);
      await vi.advanceTimersByTimeAsync(300);
      expect(saved.map((m) => [m.sliceId, m.data[0]])).toEqual([[1, 1], [2, 1]]);
      expect(queue.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes at once on demand (slice switch, window close)', async () => {
    const saved: number[] = [];
    const queue = new SaveQueue(async (m) => saved.push(m.sliceId), undefined, 60_000);
    queue.enqueue(mask(3, 1));
    await queue.flush();
    expect(saved).toEqual([3]);
  });

  it('keeps a failed save and retries it; nothing is dropped', async () => {
    vi.useFakeTimers();
    try {
      let fail = true;
      const saved: number[] = [];
      const states: (string | null)[] = [];
      const queue = new SaveQueue(async (m) => {
        if (fail) throw new Error('server gone');
        saved.push(m.data[0]!);
      }, (s) => states.push(s.error), 100);
      queue.enqueue(mask(1, 7));
      await expect(queue.flush()).rejects.toThrow(/server gone/);
      expect(queue.pending).toBe(1);
      fail = false;
      await vi.advanceTimersByTimeAsync(1000);
      expect(saved).toEqual([7]);
      expect(queue.pending).toBe(0);
      expect(states.at(-1)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('backs off while the server keeps failing, even when saves are sent without delay (as the viewer does)', async () => {
    vi.useFakeTimers();
    try {
      let attempts = 0;
      const queue = new SaveQueue(async () => {
        attempts++;
        throw new Error('server gone');
      }, undefined, 0);
      queue.enqueue(mask(1, 1));
      await vi.advanceTimersByTimeAsync(5000);
      // Sent at once, then retried after 0.5, 1, 2 and 4 s: a handful of attempts, not a request per timer tick.
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(attempts).toBeLessThanOrEqual(5);
      expect(queue.pending).toBe(1); // still kept
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('suggesting slices to fix', () => {
  it('ranks a real mask set by disagreement and uncertainty, leaving out slices where all agree', async () => {
    const a = await realSlice(12);
    const b = await realSlice(13);
    const perfect = reviewSlice(1, a.mask, a.mask.map((v) => v * 255));
    expect(perfect).toMatchObject({ disagreement: 0, uncertainty: 0, score: 0 });
    const missed = reviewSlice(2, b.mask, new Uint8Array(b.mask.length)); // the model missed the whole lesion
    expect(missed.disagreement).toBe(sum(b.mask));
    const unsure = reviewSlice(3, a.mask, a.mask.map((v) => (v ? 140 : 0))); // right, but barely over 0.5
    expect(unsure.disagreement).toBe(0);
    expect(unsure.uncertainty).toBeGreaterThan(0);
    expect(rankSlices([perfect, unsure, missed]).map((r) => r.sliceId)).toEqual(
      missed.score > unsure.score ? [2, 3] : [3, 2],
    );
  });
});
