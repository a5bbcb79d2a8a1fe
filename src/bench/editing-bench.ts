import { paintSegment, type Point } from '../editing/brush.js';
import { COLORS, maskOverlay } from '../editing/overlays.js';

/** Per-pointer-event work of a brush stroke at one image size. */
export interface EditingTiming {
  events: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Times what the viewer does for each pointer event of a stroke: paint the segment since the last event
 * (radius 8, 12 px apart: a brisk mouse) and rebuild the whole mask overlay's RGBA. Drawing that RGBA to the
 * canvas is the browser's work and is in the end-to-end test's figure instead.
 */
export function timeBrushStroke(size: number, events = 400): EditingTiming {
  const mask = new Uint8Array(size * size);
  const times: number[] = [];
  let last: Point = { x: size / 2 + size / 4, y: size / 2 };
  for (let k = 1; k <= events; k++) {
    const angle = (k * 12) / (size / 4); // 12 px of arc per event on a circle of radius size/4
    const next = { x: size / 2 + (size / 4) * Math.cos(angle), y: size / 2 + (size / 4) * Math.sin(angle) };
    const started = performance.now();
    paintSegment(mask, size, size, last, next, 8, k % 50 < 40 ? 1 : 0);
    maskOverlay(mask, size, size, COLORS.mask, 0.35);
    times.push(performance.now() - started);
    last = next;
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(3));
  return {
    events,
    meanMs: round(times.reduce((s, t) => s + t, 0) / times.length),
    p95Ms: round(times[Math.floor(times.length * 0.95)]!),
    maxMs: round(times[times.length - 1]!),
  };
}
