import { COLORS, type Rgb } from '../../../src/editing/overlays.js';

// Each overlay has colours of its own, from the Okabe–Ito palette (told apart with every common colour-vision
// deficiency): the difference view and the model-change view never share a colour, so neither can be read with the
// other's meaning. The mask (yellow) and the prediction (sky blue) keep theirs.
export const OVERLAY_COLOURS = {
  /** Difference: the model predicts it, the mask does not have it. */
  predictedNotInMask: [213, 94, 0] as Rgb, // vermillion
  /** Difference: in the mask, the model misses it. */
  inMaskMissed: [0, 114, 178] as Rgb, // blue
  /** Model change: the new model predicts it, the previous one did not. */
  changeAdded: [0, 158, 115] as Rgb, // bluish green
  /** Model change: the previous model predicted it, the new one does not. */
  changeDropped: [204, 121, 167] as Rgb, // reddish purple
};

const same = (rgba: Uint8ClampedArray, o: number, [r, g, b]: Rgb) => rgba[o] === r && rgba[o + 1] === g && rgba[o + 2] === b;

/** Repaints, in place, the pixels src/editing's overlays draw in its shared colours with this overlay's own. */
export function recolour(rgba: Uint8ClampedArray, map: ReadonlyArray<readonly [Rgb, Rgb]>): Uint8ClampedArray {
  for (let o = 0; o < rgba.length; o += 4) {
    if (rgba[o + 3] === 0) continue;
    for (const [from, [r, g, b]] of map) {
      if (!same(rgba, o, from)) continue;
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      break;
    }
  }
  return rgba;
}

/** The difference view's colours: src/editing paints predicted-only pixels as falsePositive, missed ones as falseNegative. */
export const DIFFERENCE_MAP = [[COLORS.falsePositive, OVERLAY_COLOURS.predictedNotInMask], [COLORS.falseNegative, OVERLAY_COLOURS.inMaskMissed]] as const;

/** The model-change view's colours: src/editing paints added pixels as falseNegative, dropped ones as falsePositive. */
export const CHANGE_MAP = [[COLORS.falseNegative, OVERLAY_COLOURS.changeAdded], [COLORS.falsePositive, OVERLAY_COLOURS.changeDropped]] as const;
