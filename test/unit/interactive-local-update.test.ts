// A click's answer is taken only where the click is about (FocalClick's progressive merge; local-update.ts).
import { describe, expect, it } from 'vitest';
import { mergeAtClick } from '../../src/ml/interactive/local-update.js';

const W = 12;
const H = 8;
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
    const merged = mergeAtClick(previous, next, { x: 4, y: 1, positive: true }, W, H);
    expect(merged).toEqual(mask([0, 0, 5, 4], [8, 5, 11, 8]));
  });

  it('takes the removal that holds a negative click, and only it', () => {
    const previous = mask([0, 0, 3, 3], [8, 5, 11, 8]);
    const next = mask([1, 1, 3, 3]); // removes the bottom-right blob (clicked) and trims the other
    const merged = mergeAtClick(previous, next, { x: 9, y: 6, positive: false }, W, H);
    expect(merged).toEqual(mask([0, 0, 3, 3]));
  });

  it('takes the whole answer when the network left the clicked pixel as it was', () => {
    const previous = mask([0, 0, 3, 3]);
    const next = mask([0, 0, 2, 2], [6, 0, 8, 2]);
    expect(mergeAtClick(previous, next, { x: 10, y: 6, positive: true }, W, H)).toEqual(next);
  });

  it('reads a click at a fractional or out-of-range position at the nearest pixel, and never changes its inputs', () => {
    const previous = mask([0, 0, 3, 3]);
    const next = mask([0, 0, 3, 3], [9, 5, 12, 8]);
    const before = [previous.slice(), next.slice()];
    expect(mergeAtClick(previous, next, { x: 11.6, y: 7.4, positive: true }, W, H)).toEqual(next);
    expect(mergeAtClick(previous, next, { x: 40, y: -3, positive: true }, W, H)).toEqual(next); // (11, 0): unchanged pixel → whole answer
    expect([previous, next]).toEqual(before);
  });
});
