// How the click tool's proposal is drawn (issue #29): its outline only, in a colour of its own, so it reads as a
// proposal beside the filled yellow mask; each click a small plus, green for lesion and vermillion for not; a
// dragged box its one-pixel frame in reddish purple, under the outline.
import type { MaskBox, MaskClick } from '../contract/masks.js';
import type { Rgb } from './overlays.js';

/** Okabe–Ito colours, told apart with every common colour-vision deficiency. */
export const CLICK_COLOURS = {
  /** The proposal's outline: orange (the mask is yellow and filled, the prediction sky blue). */
  proposal: [230, 159, 0] as Rgb,
  positive: [0, 158, 115] as Rgb,
  negative: [213, 94, 0] as Rgb,
  /** A dragged box's frame. */
  box: [204, 121, 167] as Rgb,
};

/** A click's plus sign reaches this many pixels from its centre. */
export const CLICK_MARK_REACH = 2;

/** The proposal's boundary pixels (inside, touching outside or the image edge) as 0/1. */
export function proposalOutline(proposal: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(proposal.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!proposal[i]) continue;
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !proposal[i - 1] || !proposal[i + 1] || !proposal[i - width] || !proposal[i + width];
      if (edge) out[i] = 1;
    }
  }
  return out;
}

/** The box's frame: the pixels of its first and last rows and columns (cut to the image). */
export function boxFrame(box: MaskBox, width: number, height: number): number[] {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(width, box.x + box.width) - 1;
  const y1 = Math.min(height, box.y + box.height) - 1;
  const out: number[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) if (x === x0 || x === x1 || y === y0 || y === y1) out.push(y * width + x);
  }
  return out;
}

/** The proposal's outline, its clicks and its box (if one was dragged) as RGBA pixels (transparent elsewhere). */
export function clickProposalOverlay(proposal: Uint8Array | null, clicks: readonly MaskClick[], width: number, height: number, box: MaskBox | null = null): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const paint = (i: number, [r, g, b]: Rgb) => rgba.set([r, g, b, 255], i * 4);
  if (box) for (const i of boxFrame(box, width, height)) paint(i, CLICK_COLOURS.box);
  if (proposal) proposalOutline(proposal, width, height).forEach((v, i) => v && paint(i, CLICK_COLOURS.proposal));
  for (const { x, y, positive } of clicks) {
    for (let d = -CLICK_MARK_REACH; d <= CLICK_MARK_REACH; d++) {
      for (const [px, py] of [[x + d, y], [x, y + d]] as const) {
        if (px >= 0 && py >= 0 && px < width && py < height) paint(py * width + px, positive ? CLICK_COLOURS.positive : CLICK_COLOURS.negative);
      }
    }
  }
  return rgba;
}
