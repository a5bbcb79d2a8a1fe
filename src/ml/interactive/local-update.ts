// How a click's answer is taken into the mask: only where the click is about. FocalClick's "progressive merge"
// (Chen et al., CVPR 2022) does this because a network asked about one spot also redraws the rest of the mask, and
// there it can undo what the proposal and the earlier clicks had right.
import { labelComponents } from '../metrics.js';
import { squaredDistanceTransform, type Click } from './clicks.js';

/**
 * The radius, in the network's input pixels, of the spot a click sets itself when the network does not follow it
 * (2 px at 128²: 4 px of a 256² LGG slice, about half a click's disk). Chosen on the bundled interactive model's
 * validation patients (`brainseg eval --validation --clicks`, docs/training.md): 1 / 1.5 / 2 / 3 / 4.5 px gave
 * lesion-slice Dice 0.875 / 0.879 / 0.880 / 0.879 / 0.869 after 3 clicks; a bigger spot overshoots the small lesions
 * it is most needed for.
 */
export const SET_SPOT_RADIUS = 2;

/**
 * How far a click's change reaches from the click: {@link POSITIVE_REACH} (positive) or {@link NEGATIVE_REACH}
 * (negative) times the click's own depth (its distance to the mask's edge on its side, below). A reader clicks the
 * middle of what is wrong, so that depth says how big the wrong part is; the network's answer sometimes runs on
 * along the mask from it: a removal from a false-positive bump into the true lesion it hangs on, an addition from a
 * missed stretch of rim all round the lesion. A missed lesion apart from the mask is unaffected: its click lies far
 * from the mask, so its reach does too. On the bundled interactive model's validation patients (`brainseg eval
 * --validation --clicks`, docs/training.md; with the depth limits below, reach 3 / 4 / 6 / unlimited for additions
 * and 1.5 / 2 / 3 for removals), 4× and 2× cut the slices ending below the proposal after 1 / 2 / 3 / 5 clicks from
 * 8 / 5 / 8 / 1 (unlimited and 3×) to 3 / 3 / 4 / 1, for lesion-slice Dice 0.851 / 0.876 / 0.892 / 0.907 instead of
 * 0.851 / 0.875 / 0.893 / 0.908.
 */
export const POSITIVE_REACH = 4;
export const NEGATIVE_REACH = 2;

/**
 * How deep a click's change may go, as a multiple of the click's own depth, for a positive click
 * ({@link POSITIVE_DEPTH}) and a negative one ({@link NEGATIVE_DEPTH}). A pixel's depth is its distance to the mask's
 * edge on the click's side of it: outside the mask for a positive click, inside for a negative one. A reader clicks
 * the middle of what is wrong, so the click's depth says how thick the wrong part is: a miss along the lesion's rim
 * is thin, and the lesion's core behind a false-positive rim lies deeper than the click. The network's answer ran
 * on past both: removals into the true core, additions into the background beyond a missed rim. The spot a click
 * sets itself obeys the same limit. On the bundled interactive model's validation patients (`brainseg eval
 * --validation --clicks`, docs/training.md; 1.5 / 2 / 3× for additions, 1 / 1.2 / 1.5× for removals), 2× and 1.2×
 * raised lesion-slice Dice after 1 / 3 / 5 clicks from 0.850 / 0.888 / 0.899 to 0.851 / 0.893 / 0.908 and cut the
 * slices ending below the proposal from 18 / 10 / 3 to 8 / 8 / 1 (before the reach of a positive click, and at a
 * negative one's 3×).
 */
export const POSITIVE_DEPTH = 2;
export const NEGATIVE_DEPTH = 1.2;

/**
 * The mask after a click: `previous` with only the connected region of flipped pixels (where `next` turns `previous`
 * the way the click says: background to lesion for a positive click, lesion to background for a negative one) that
 * holds the click taken from the network's `next`, and of it only the pixels no deeper than {@link POSITIVE_DEPTH} /
 * {@link NEGATIVE_DEPTH} times the click's own depth and within {@link POSITIVE_REACH} / {@link NEGATIVE_REACH} times
 * it of the click. When the network does not follow the click — it leaves the clicked pixel as it was (most often on
 * a lesion a few pixels across, smaller than the network resolves at its input size `size`), or answers the opposite
 * of what the click says there, or the pixel already was what the click says — the click sets its own spot instead:
 * lesion around a positive click, background around a negative one, an ellipse of {@link SET_SPOT_RADIUS} input
 * pixels at the slice's resolution (within the same depth limit), and the rest of `previous` stays. A click on a
 * pixel that already is what it says is 0 deep on its side, so it changes nothing. So the clicked pixel always ends
 * as the click says (the next click goes elsewhere), a positive click never removes and a negative one never adds,
 * and an answer that ignored the click never redraws the rest. Masks are 0/1 at the click's resolution
 * (`width`×`height`).
 */
export function mergeAtClick(previous: Uint8Array, next: Uint8Array, click: Click, width: number, height: number, size: number): Uint8Array {
  const cx = Math.min(width - 1, Math.max(0, Math.round(click.x)));
  const cy = Math.min(height - 1, Math.max(0, Math.round(click.y)));
  const at = cy * width + cx;
  const said = click.positive ? 1 : 0;
  const depths = depthOnClickSide(previous, click.positive, width, height);
  const depth = depths[at]!;
  const deepest = (click.positive ? POSITIVE_DEPTH : NEGATIVE_DEPTH) * depth;
  if (next[at] !== said || previous[at] === said) {
    const shallow = (i: number) => depths[i]! <= deepest || i === at;
    return setSpot(previous, cx, cy, said, (SET_SPOT_RADIUS * width) / size, (SET_SPOT_RADIUS * height) / size, width, height, shallow);
  }
  const flipped = new Uint8Array(previous.length);
  for (let i = 0; i < flipped.length; i++) flipped[i] = previous[i] !== said && next[i] === said ? 1 : 0;
  const { labels } = labelComponents(flipped, 1, height, width);
  const region = labels[at]!;
  const reach = (click.positive ? POSITIVE_REACH : NEGATIVE_REACH) * depth;
  const out = previous.slice();
  for (let i = 0; i < out.length; i++) {
    if (labels[i] !== region || depths[i]! > deepest) continue;
    const x = i % width;
    if (Math.hypot(x - cx, (i - x) / width - cy) <= reach) out[i] = next[i]!;
  }
  return out;
}

/** A copy of `mask` with the pixels of the ellipse of radii `rx`, `ry` around (cx, cy) that `allowed` lets set to `value`. */
function setSpot(mask: Uint8Array, cx: number, cy: number, value: number, rx: number, ry: number, width: number, height: number, allowed: (i: number) => boolean): Uint8Array {
  const out = mask.slice();
  for (let y = Math.max(0, Math.ceil(cy - ry)); y <= Math.min(height - 1, Math.floor(cy + ry)); y++) {
    for (let x = Math.max(0, Math.ceil(cx - rx)); x <= Math.min(width - 1, Math.floor(cx + rx)); x++) {
      const i = y * width + x;
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 && allowed(i)) out[i] = value;
    }
  }
  return out;
}

/**
 * Each pixel's distance to the mask's edge on a click's side: inside the mask (the image's border counting as an
 * edge) for a negative click, outside it for a positive one (the border does not: the mask is not there). A
 * followed click lies on its side, so its own depth is at least 1.
 */
function depthOnClickSide(mask: Uint8Array, positive: boolean, width: number, height: number): Float32Array {
  const side = positive ? mask.map((v) => (v ? 0 : 1)) : mask;
  return squaredDistanceTransform(side, width, height, !positive).map(Math.sqrt);
}
