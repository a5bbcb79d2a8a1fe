// Mouse wheels send ±100-ish per notch; trackpads send many small deltas. Stepping one slice per event made ten
// trackpad events of deltaY 10 move nine slices; accumulating the deltas makes a slice a fixed distance of travel.

/** Wheel travel (in pixels, after normalising line and page deltas) that moves one slice. */
export const WHEEL_STEP_PIXELS = 100; // one notch of a mouse wheel in Chromium

const LINE_PIXELS = 16;
const PAGE_PIXELS = 400;

/** A wheel delta in pixels, whatever unit the browser reported it in (WheelEvent.deltaMode 0, 1, 2). */
export function wheelPixels(deltaY: number, deltaMode: number): number {
  return deltaMode === 1 ? deltaY * LINE_PIXELS : deltaMode === 2 ? deltaY * PAGE_PIXELS : deltaY;
}

/**
 * Adds wheel deltas and hands out whole slice steps; the remainder carries over. A change of direction starts
 * afresh, so reversing never first unwinds travel left from the other way.
 */
export class WheelAccumulator {
  private travel = 0;

  constructor(private readonly stepPixels = WHEEL_STEP_PIXELS) {}

  /** Adds one event's delta (pixels); returns the slices to move (negative: back). */
  add(pixels: number): number {
    if (pixels === 0) return 0;
    if (Math.sign(pixels) !== Math.sign(this.travel)) this.travel = 0;
    this.travel += pixels;
    const steps = Math.trunc(this.travel / this.stepPixels) || 0; // no -0
    this.travel -= steps * this.stepPixels;
    return steps;
  }
}
