// The prediction heat map's colours: a ramp that never reaches the mask's yellow, so that a low probability can not
// be read as mask (the earlier blue → yellow → red ramp passed through the mask's very colour).
import type { Rgb } from './rgb.js';

/**
 * Matplotlib's viridis at t = 0.2, 0.3, …, 0.7: perceptually uniform and readable with every common colour-vision
 * deficiency. It starts at its blue (its near-black purple, t < 0.2, vanished over a dark slice) and stops at its
 * green, short of its yellow end (t 0.8–1) — the mask's colour.
 */
const VIRIDIS_TO_GREEN: readonly Rgb[] = [[65, 68, 135], [53, 95, 141], [42, 120, 142], [33, 145, 140], [34, 168, 132], [68, 191, 112]];

/** Below this 8-bit probability (5 %) the heat map draws nothing: background noise does not veil the image. */
export const HEAT_FLOOR = 13;

/** The heat map's colour at probability p in [0, 1]: blue (unlikely) through teal to green (certain). */
export function heatColor(p: number): Rgb {
  const t = Math.max(0, Math.min(1, p)) * (VIRIDIS_TO_GREEN.length - 1);
  const i = Math.min(VIRIDIS_TO_GREEN.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [VIRIDIS_TO_GREEN[i]!, VIRIDIS_TO_GREEN[i + 1]!];
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as unknown as Rgb;
}

/**
 * The heat map's alpha (0–255) at an 8-bit probability: 0 below {@link HEAT_FLOOR}, then growing with √p, so that
 * faint probabilities stay faint and the anatomy under them readable.
 */
export function heatAlpha(probability: number, opacity: number): number {
  if (probability < HEAT_FLOOR) return 0;
  return Math.round(Math.max(0, Math.min(1, opacity)) * 255 * Math.sqrt(probability / 255));
}
