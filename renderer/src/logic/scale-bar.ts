// The scale bar on the slice: a round length in mm and how long it is on screen at the zoom in effect.

/** Lengths a bar may show: round numbers a reader takes in at a glance. */
const ROUND_MM = [0.5, 1, 2, 5, 10, 20, 50, 100, 200];

/** A scale bar: its length in mm and on screen (CSS px). */
export interface ScaleBar {
  mm: number;
  px: number;
}

/**
 * The longest round length whose bar fits in `longestPx` on screen, for a slice whose pixels are `pixelMm` wide and
 * drawn `screenPerPixel` screen pixels each; the shortest one when none fits. Null when the pixel size is unknown:
 * a bar from a guessed spacing would mislead.
 */
export function scaleBar(pixelMm: number | null | undefined, screenPerPixel: number, longestPx: number): ScaleBar | null {
  if (!pixelMm || !(pixelMm > 0) || !(screenPerPixel > 0)) return null;
  const px = (mm: number) => (mm / pixelMm) * screenPerPixel;
  const fitting = ROUND_MM.filter((mm) => px(mm) <= longestPx);
  const mm = fitting.at(-1) ?? ROUND_MM[0]!;
  return { mm, px: px(mm) };
}
