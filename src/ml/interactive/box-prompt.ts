// A box drag (MedSAM-style) as the interactive model's prompt (issue #29). The model was trained on clicks and a
// prompt mask, never on boxes, so a box is said in those terms: one positive click at the box's most lesion-like
// interior point, the automatic model's mask cut to the box as the prompt mask, and the answer cut to the box.
import type { MaskBox } from '../../contract/masks.js';
import { largestRegion, squaredDistanceTransform, type Click } from './clicks.js';

/**
 * Below this 8-bit probability (0.1) nowhere in the box, the automatic model saw nothing there: the seed is the
 * box's centre (a box is drawn around its lesion, as MedSAM assumes) rather than the peak of noise.
 */
export const SEED_MIN_PROBABILITY = 26;

/** The box cut to the image (a box from the UI is checked, but a cut costs nothing and guards the loops). */
function clamp(box: MaskBox, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  return { x0: Math.max(0, box.x), y0: Math.max(0, box.y), x1: Math.min(width, box.x + box.width), y1: Math.min(height, box.y + box.height) };
}

/** Whether pixel (x, y) lies inside the box. */
export function insideBox(box: MaskBox, x: number, y: number): boolean {
  return x >= box.x && y >= box.y && x < box.x + box.width && y < box.y + box.height;
}

/** A copy of the mask with every pixel outside the box cleared. */
export function clipToBox(mask: Uint8Array, box: MaskBox, width: number, height: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  const { x0, y0, x1, y1 } = clamp(box, width, height);
  for (let y = y0; y < y1; y++) out.set(mask.subarray(y * width + x0, y * width + x1), y * width + x0);
  return out;
}

/**
 * The positive click a box stands for, from the automatic model's 8-bit probabilities of the slice: the interior
 * point (farthest from its border, as the training clicks are placed) of the largest region the model calls
 * lesion (≥ 0.5) inside the box; if it calls none, the most probable pixel in the box (the one nearest the centre
 * among equals); if nothing in the box reaches {@link SEED_MIN_PROBABILITY}, the box's centre.
 */
export function boxSeed(probabilities: Uint8Array, box: MaskBox, width: number, height: number): Click {
  const { x0, y0, x1, y1 } = clamp(box, width, height);
  const centre = { x: Math.floor((x0 + x1 - 1) / 2), y: Math.floor((y0 + y1 - 1) / 2) };
  const lesion = new Uint8Array(width * height);
  let peak = -1;
  let peakDistance = Infinity;
  let best = centre;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = probabilities[y * width + x]!;
      if (p >= 128) lesion[y * width + x] = 1;
      const distance = (x - centre.x) ** 2 + (y - centre.y) ** 2;
      if (p > peak || (p === peak && distance < peakDistance)) [peak, peakDistance, best] = [p, distance, { x, y }];
    }
  }
  const region = largestRegion(lesion, width, height);
  if (region) {
    const distances = squaredDistanceTransform(region.region, width, height);
    let at = -1;
    for (let i = 0; i < distances.length; i++) if (at < 0 || distances[i]! > distances[at]!) at = i;
    return { x: at % width, y: Math.floor(at / width), positive: true };
  }
  return { ...(peak >= SEED_MIN_PROBABILITY ? best : centre), positive: true };
}
