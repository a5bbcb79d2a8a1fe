import { probabilityCut } from './overlays.js';

// Brush, eraser and threshold brush on a binary mask (one byte per pixel, 0/1). Pure and allocation-free per
// pointer event, so a stroke keeps up with the mouse at 512² (see `brainseg bench`).

/** A point in image pixels (fractional: pointer positions at high zoom fall between pixel centres). */
export interface Point {
  x: number;
  y: number;
}

/** A pixel-level gate: the threshold brush paints only where this says yes. */
export type PixelFilter = (index: number) => boolean;

/** The rectangle of pixels an operation may have changed (inclusive bounds), or null when it changed none. */
export interface DirtyRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function unionRect(a: DirtyRect | null, b: DirtyRect | null): DirtyRect | null {
  if (!a) return b;
  if (!b) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/**
 * Sets every pixel whose centre lies within `radius` of `centre` to `value` (a round footprint; radius 0.5
 * paints the single pixel under the point). Returns the number of pixels that changed.
 */
export function paintDisc(mask: Uint8Array, width: number, height: number, centre: Point, radius: number, value: 0 | 1, filter?: PixelFilter): number {
  const r = Math.max(0.5, radius);
  const y0 = Math.max(0, Math.floor(centre.y - r));
  const y1 = Math.min(height - 1, Math.ceil(centre.y + r));
  const x0 = Math.max(0, Math.floor(centre.x - r));
  const x1 = Math.min(width - 1, Math.ceil(centre.x + r));
  const r2 = r * r;
  let changed = 0;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - centre.y;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - centre.x;
      if (dx * dx + dy * dy > r2) continue;
      const i = y * width + x;
      if (mask[i] === value || (filter && !filter(i))) continue;
      mask[i] = value;
      changed++;
    }
  }
  return changed;
}

/**
 * Calls `paint` with disc centres along the segment from `from` to `to`, no more than a quarter of the brush
 * apart, so a fast mouse (pointer events tens of pixels apart) still leaves a continuous stroke. Every
 * stroke-based tool steps through this.
 */
export function forEachStrokeCentre(from: Point, to: Point, radius: number, paint: (centre: Point) => void): void {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const steps = Math.max(1, Math.ceil(length / Math.max(0.5, radius / 4)));
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    paint({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
  }
}

/** Paints the segment from `from` to `to` as a chain of discs ({@link forEachStrokeCentre}). */
export function paintSegment(mask: Uint8Array, width: number, height: number, from: Point, to: Point, radius: number, value: 0 | 1, filter?: PixelFilter): DirtyRect | null {
  let changed = 0;
  forEachStrokeCentre(from, to, radius, (centre) => (changed += paintDisc(mask, width, height, centre, radius, value, filter)));
  if (changed === 0) return null;
  const r = Math.ceil(radius) + 1;
  return {
    x0: Math.max(0, Math.floor(Math.min(from.x, to.x)) - r), y0: Math.max(0, Math.floor(Math.min(from.y, to.y)) - r),
    x1: Math.min(width - 1, Math.ceil(Math.max(from.x, to.x)) + r), y1: Math.min(height - 1, Math.ceil(Math.max(from.y, to.y)) + r),
  };
}

/** The threshold brush's intensity window: inclusive 8-bit bounds. */
export interface IntensityRange {
  low: number;
  high: number;
}

/**
 * The window a threshold brush starts with, from the pixel under the cursor: its value ± `spread` (as Slicer's
 * "editable intensity range" is set from the clicked pixel). A lesion on FLAIR is bright: clicking inside it
 * and painting over its edge stops at the darker tissue.
 */
export function rangeAround(value: number, spread = 25): IntensityRange {
  return { low: Math.max(0, value - spread), high: Math.min(255, value + spread) };
}

/** A filter admitting pixels whose value in `channel` of an interleaved image lies in `range`. */
export function intensityFilter(image: { data: Uint8Array; channels: number }, channel: number, range: IntensityRange): PixelFilter {
  const { data, channels } = image;
  const c = Math.min(channel, channels - 1);
  return (i) => {
    const v = data[i * channels + c]!;
    return v >= range.low && v <= range.high;
  };
}

/** A filter for the prediction brush: paint 1 where the model says lesion; the brush erases where it does not. */
export function predictionAt(probabilities: Uint8Array, threshold: number): (index: number) => 0 | 1 {
  const cut = probabilityCut(threshold);
  return (i) => (probabilities[i]! >= cut ? 1 : 0);
}

/** Copies the thresholded prediction into the mask inside a disc (accept prediction under a brush stroke). */
export function acceptPredictionDisc(mask: Uint8Array, width: number, height: number, probabilities: Uint8Array, threshold: number, centre: Point, radius: number): number {
  const predicted = predictionAt(probabilities, threshold);
  return paintDisc(mask, width, height, centre, radius, 1, (i) => predicted(i) === 1) +
    paintDisc(mask, width, height, centre, radius, 0, (i) => predicted(i) === 0);
}
