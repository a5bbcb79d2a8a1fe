// The coloured layers drawn over a slice: the mask, the model's prediction and their difference. Each returns
// RGBA pixels (transparent where there is nothing to show).
import { heatAlpha, heatColor } from './heat-ramp.js';
import type { Rgb } from './rgb.js';

export { heatColor } from './heat-ramp.js';

export type { Rgb } from './rgb.js';

export const COLORS = {
  mask: [255, 214, 10] as Rgb,
  prediction: [0, 200, 255] as Rgb,
  falsePositive: [255, 64, 160] as Rgb,
  falseNegative: [40, 230, 90] as Rgb,
};

/** Whether pixel i of a binary image touches the background (4-neighbourhood) or the image edge. */
function onBoundary(inside: (i: number) => boolean, i: number, width: number, height: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  return x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
    !inside(i - 1) || !inside(i + 1) || !inside(i - width) || !inside(i + width);
}

function paint(out: Uint8ClampedArray, i: number, [r, g, b]: Rgb, alpha: number): void {
  const o = i * 4;
  out[o] = r;
  out[o + 1] = g;
  out[o + 2] = b;
  out[o + 3] = alpha;
}

/** A mask as a translucent fill (opacity 0–1) with an opaque outline, so the edge stays visible when faint. */
export function maskOverlay(mask: Uint8Array, width: number, height: number, color: Rgb, opacity: number, outline = true): Uint8ClampedArray {
  return maskOverlayRegion(mask, width, height, { x: 0, y: 0, width, height }, color, opacity, outline);
}

/** A rectangle of pixels: where a redraw is needed. */
export interface PixelRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * {@link maskOverlay} for one rectangle only (RGBA of `region.width × region.height`): a brush stroke redraws the
 * few hundred pixels it touched, not the whole slice. Outline pixels depend on their neighbours, so a caller that
 * changed a rectangle of the mask passes it grown by one pixel ({@link grownRegion}).
 */
export function maskOverlayRegion(mask: Uint8Array, width: number, height: number, region: PixelRegion, color: Rgb, opacity: number, outline = true): Uint8ClampedArray {
  const out = new Uint8ClampedArray(region.width * region.height * 4);
  const inside = (i: number) => mask[i] !== 0;
  const fill = Math.round(Math.max(0, Math.min(1, opacity)) * 255);
  for (let ry = 0; ry < region.height; ry++) {
    for (let rx = 0; rx < region.width; rx++) {
      const i = (region.y + ry) * width + region.x + rx;
      if (!inside(i)) continue;
      paint(out, ry * region.width + rx, color, outline && onBoundary(inside, i, width, height) ? 255 : fill);
    }
  }
  return out;
}

/** The inclusive rectangle (x0…x1, y0…y1) grown by one pixel on each side and clipped to the image. */
export function grownRegion(rect: { x0: number; y0: number; x1: number; y1: number }, width: number, height: number): PixelRegion {
  const x0 = Math.max(0, rect.x0 - 1);
  const y0 = Math.max(0, rect.y0 - 1);
  const x1 = Math.min(width - 1, rect.x1 + 1);
  const y1 = Math.min(height - 1, rect.y1 + 1);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * The smallest 8-bit probability counted as lesion at a threshold in (0, 1). Never 0: a pixel the model gives
 * probability 0 is never lesion. Every tool, overlay and ranking thresholds through this.
 */
export function probabilityCut(threshold: number): number {
  return Math.max(1, Math.round(threshold * 255));
}

/** Turns 8-bit probabilities into a binary mask at a threshold in (0, 1). */
export function thresholdProbabilities(probabilities: Uint8Array, threshold: number): Uint8Array {
  const cut = probabilityCut(threshold);
  const out = new Uint8Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) out[i] = probabilities[i]! >= cut ? 1 : 0;
  return out;
}

/** The dark halo around an outline: it keeps the line distinct over any fill or anatomy it crosses. */
export const OUTLINE_HALO: Rgb = [0, 0, 0];
const HALO_ALPHA = 200;

/**
 * The prediction as a heat map ({@link heatColor} at alpha {@link heatAlpha}: nothing below 5 %, so background
 * noise does not veil the image) or as the outline of the thresholded region. The outline is one pixel of its
 * colour with a one-pixel dark halo outside it: a bare cyan line over the yellow mask fill read as green.
 */
export function predictionOverlay(
  probabilities: Uint8Array, width: number, height: number,
  options: { mode: 'heat' | 'outline'; threshold: number; opacity: number; color?: Rgb },
): Uint8ClampedArray {
  const color = options.color ?? COLORS.prediction;
  const out = new Uint8ClampedArray(width * height * 4);
  if (options.mode === 'outline') {
    const binary = thresholdProbabilities(probabilities, options.threshold);
    const inside = (i: number) => binary[i] === 1;
    for (let i = 0; i < width * height; i++) {
      if (inside(i)) {
        if (onBoundary(inside, i, width, height)) paint(out, i, color, 255);
      } else if (touches(inside, i, width, height)) paint(out, i, OUTLINE_HALO, HALO_ALPHA);
    }
    return out;
  }
  for (let i = 0; i < width * height; i++) {
    const p = probabilities[i]!;
    const alpha = heatAlpha(p, options.opacity);
    if (alpha > 0) paint(out, i, heatColor(p / 255), alpha);
  }
  return out;
}

/** Whether pixel i (outside a region) has a 4-neighbour inside it: where the outline's halo goes. */
function touches(inside: (i: number) => boolean, i: number, width: number, height: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  return (x > 0 && inside(i - 1)) || (x < width - 1 && inside(i + 1)) || (y > 0 && inside(i - width)) || (y < height - 1 && inside(i + width));
}

/** Per-pixel agreement of a mask and a thresholded prediction. */
export interface Difference {
  overlay: Uint8ClampedArray;
  falsePositives: number;
  falseNegatives: number;
  truePositives: number;
}

/** Where the prediction and the mask disagree: predicted but not in the mask (FP), in the mask but missed (FN). */
export function differenceOverlay(mask: Uint8Array, probabilities: Uint8Array, width: number, height: number, threshold: number, opacity: number): Difference {
  const predicted = thresholdProbabilities(probabilities, threshold);
  const out = new Uint8ClampedArray(width * height * 4);
  const alpha = Math.round(Math.max(0, Math.min(1, opacity)) * 255);
  let falsePositives = 0;
  let falseNegatives = 0;
  let truePositives = 0;
  for (let i = 0; i < width * height; i++) {
    const m = mask[i] !== 0;
    const p = predicted[i] === 1;
    if (m && p) truePositives++;
    else if (p) {
      falsePositives++;
      paint(out, i, COLORS.falsePositive, alpha);
    } else if (m) {
      falseNegatives++;
      paint(out, i, COLORS.falseNegative, alpha);
    }
  }
  return { overlay: out, falsePositives, falseNegatives, truePositives };
}

/** Pixels a new prediction adds (green) or drops (pink) compared with the previous model's, at a threshold. */
export function modelChangeOverlay(previous: Uint8Array, next: Uint8Array, threshold: number): Uint8ClampedArray {
  const cut = probabilityCut(threshold);
  const out = new Uint8ClampedArray(next.length * 4);
  for (let i = 0; i < next.length; i++) {
    const now = next[i]! >= cut;
    if ((previous[i]! >= cut) !== now) paint(out, i, now ? COLORS.falseNegative : COLORS.falsePositive, 200);
  }
  return out;
}

/** Dice of a mask and a thresholded prediction on one slice; 1 when both are empty. */
export function sliceDice(d: Pick<Difference, 'falsePositives' | 'falseNegatives' | 'truePositives'>): number {
  const denominator = 2 * d.truePositives + d.falsePositives + d.falseNegatives;
  return denominator === 0 ? 1 : (2 * d.truePositives) / denominator;
}
