// A click's answer is taken only where the click is about (FocalClick's progressive merge; local-update.ts).
import { describe, expect, it } from 'vitest';
import { mergeAtClick, NEGATIVE_DEPTH, NEGATIVE_REACH, POSITIVE_DEPTH, POSITIVE_REACH, SET_SPOT_RADIUS } from '../../src/ml/interactive/local-update.js';

const W = 12;
const H = 12;
/** The network's input size: here the slice's own, so the set spot has radius SET_SPOT_RADIUS slice pixels. */
const SIZE = 12;
/** A W×H mask with the given rectangles set ([x0, y0, x1, y1), exclusive ends). */
function mask(...boxes: [number, number, number, number][]): Uint8Array {
  const out = new Uint8Array(W * H);
  for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out[y * W + x] = 1;
  return out;
}

describe('mergeAtClick', () => {
  it('takes the flipped region that holds a positive click and drops the network\'s flips elsewhere', () => {
    const previous = mask([0, 0, 3, 3], [8, 5, 11, 8]); // a lesion top left, another bottom right
    // The network grows the top-left lesion (where the click is) and also erases the bottom-right one.
    const next = mask([0, 0, 5, 4]);
    const merged = mergeAtClick(previous, next, { x: 4, y: 1, positive: true }, W, H, SIZE);
    expect(merged).toEqual(mask([0, 0, 5, 4], [8, 5, 11, 8]));
  });

  it('takes the removal that holds a negative click, and only it', () => {
    const previous = mask([0, 0, 3, 3], [8, 5, 11, 8]);
    const next = mask([1, 1, 3, 3]); // removes the bottom-right blob (clicked) and trims the other
    const merged = mergeAtClick(previous, next, { x: 9, y: 6, positive: false }, W, H, SIZE);
    expect(merged).toEqual(mask([0, 0, 3, 3]));
  });

  it('takes a click\'s change only as far as 4× (positive) or 2× (negative) the click\'s own depth from it', () => {
    expect([POSITIVE_REACH, NEGATIVE_REACH]).toEqual([4, 2]);
    const previous = mask([0, 0, 12, 2]); // a strip along the top, 2 pixels tall: every pixel of it 1 deep
    const next = new Uint8Array(W * H); // the network removes the whole strip
    // Clicked at (6, 1), 1 pixel from the edge: the removal reaches 2 pixels, so the strip's pixels farther stay.
    expect(mergeAtClick(previous, next, { x: 6, y: 1, positive: false }, W, H, SIZE)).toEqual(mask([0, 0, 5, 1], [8, 0, 12, 1], [0, 1, 4, 2], [9, 1, 12, 2]));
    // A positive click on a missed pixel of rim beside a square lesion, answered with a ring all round it: the ring
    // is taken within 4 pixels of the click (the side clicked, and the corners next to it), not on the far side.
    const square = mask([4, 4, 8, 8]);
    expect(mergeAtClick(square, mask([3, 3, 9, 9]), { x: 8, y: 5, positive: true }, W, H, SIZE)).toEqual(mask([4, 4, 8, 8], [5, 3, 9, 4], [8, 4, 9, 8], [6, 8, 9, 9]));
    // A missed lesion apart from the mask is taken whole: its click is far from the mask, and so is its reach.
    const apart = mask([0, 0, 2, 2], [5, 5, 12, 12]);
    expect(mergeAtClick(mask([0, 0, 2, 2]), apart, { x: 8, y: 8, positive: true }, W, H, SIZE)).toEqual(apart);
  });

  it('goes no deeper than 2× the click\'s own depth beside the mask, 1.2× inside it', () => {
    expect([POSITIVE_DEPTH, NEGATIVE_DEPTH]).toEqual([2, 1.2]);
    const lesion = mask([0, 0, 6, 12]); // the left half
    // A positive click on the missed rim 1 pixel beside the lesion, answered with lesion everywhere: it adds the
    // pixels up to 2 pixels from the mask (within its reach, 4 pixels of the click), not the background beyond.
    expect(mergeAtClick(lesion, mask([0, 0, 12, 12]), { x: 6, y: 6, positive: true }, W, H, SIZE)).toEqual(mask([0, 0, 6, 12], [6, 2, 7, 11], [7, 3, 8, 10]));
    // A negative click on the lesion's outer column (depth 1), answered by erasing everything: it removes that
    // column within its reach (2 pixels of the click), and nothing 2 pixels deep.
    expect(mergeAtClick(lesion, new Uint8Array(W * H), { x: 5, y: 6, positive: false }, W, H, SIZE)).toEqual(mask([0, 0, 5, 12], [5, 0, 6, 4], [5, 9, 6, 12]));
  });

  it('sets the click\'s own spot and keeps the rest when the network left the clicked pixel as it was', () => {
    expect(SET_SPOT_RADIUS).toBe(2);
    const previous = mask([0, 0, 3, 3]);
    const next = mask([0, 0, 2, 2], [6, 0, 8, 2]); // ignores the click, redraws elsewhere
    // A disk of radius 2 around (8, 4): rows 2…6, widest (5 pixels) on the click's row.
    expect(mergeAtClick(previous, next, { x: 8, y: 4, positive: true }, W, H, SIZE)).toEqual(
      mask([0, 0, 3, 3], [8, 2, 9, 3], [7, 3, 10, 4], [6, 4, 11, 5], [7, 5, 10, 6], [8, 6, 9, 7]));
    // A negative click the network ignored clears its spot (clipped at the image's edge) and only it, no deeper than
    // 1.2× the click's own depth: clicked at the corner (1 pixel deep), (1, 1), 2 deep, stays.
    expect(mergeAtClick(previous, previous, { x: 0, y: 0, positive: false }, W, H, SIZE)).toEqual(mask([2, 1, 3, 2], [1, 1, 2, 2], [1, 2, 3, 3]));
    // Clicked 4 deep in a larger lesion, the spot (13 pixels) is cleared whole.
    const large = mask([0, 0, 8, 8]);
    const cleared = mergeAtClick(large, large, { x: 3, y: 4, positive: false }, W, H, SIZE);
    expect(large.filter((v, i) => v && !cleared[i]).length).toBe(13);
  });

  it('never lets a click go against what it says: a positive click only adds, a negative one only removes', () => {
    const previous = mask([0, 0, 6, 6]);
    // A positive click inside the lesion that the network answers by erasing it: the lesion stays, the spot is set.
    expect(mergeAtClick(previous, new Uint8Array(W * H), { x: 3, y: 3, positive: true }, W, H, SIZE)).toEqual(previous);
    // A positive click the network follows, biting into the lesion beside the growth: only the growth is taken.
    const grownAndTrimmed = mask([0, 0, 9, 4], [0, 4, 4, 6], [6, 4, 9, 6]);
    expect(mergeAtClick(previous, grownAndTrimmed, { x: 7, y: 3, positive: true }, W, H, SIZE)).toEqual(mask([0, 0, 9, 6]));
    // A negative click outside the mask that the network answers with lesion there: the spot stays background.
    expect(mergeAtClick(previous, mask([0, 0, 12, 12]), { x: 10, y: 10, positive: false }, W, H, SIZE)).toEqual(previous);
  });

  it('scales the spot to the slice, per axis', () => {
    // A 12×6 slice seen at 6² input: radius 2 × 12/6 = 4 pixels across, 2 × 6/6 = 2 down.
    const empty = new Uint8Array(12 * 6);
    const spot = mergeAtClick(empty, empty, { x: 6, y: 3, positive: true }, 12, 6, 6);
    const at = (x: number, y: number) => spot[y * 12 + x];
    expect([at(2, 3), at(10, 3), at(6, 1), at(6, 5)]).toEqual([1, 1, 1, 1]);
    expect([at(1, 3), at(11, 3), at(6, 0), at(5, 1)]).toEqual([0, 0, 0, 0]);
  });

  it('reads a click at a fractional or out-of-range position at the nearest pixel, and never changes its inputs', () => {
    const previous = mask([0, 0, 3, 3]);
    const next = mask([0, 0, 3, 3], [9, 5, 12, 8]);
    const before = [previous.slice(), next.slice()];
    expect(mergeAtClick(previous, next, { x: 11.6, y: 7.4, positive: true }, W, H, SIZE)).toEqual(mask([0, 0, 3, 3], [9, 5, 12, 8]));
    // (11, 0): the network left it as it was, so the spot there is set, clipped to the image.
    expect(mergeAtClick(previous, next, { x: 40, y: -3, positive: true }, W, H, SIZE)).toEqual(mask([0, 0, 3, 3], [9, 0, 12, 1], [10, 1, 12, 2], [11, 2, 12, 3]));
    expect([previous, next]).toEqual(before);
  });
});
