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
 * How far a negative click's removal reaches: {@link NEGATIVE_REACH} times the click's distance to the edge of the
 * region it is in (the image's border counting as an edge). A reader clicks the middle of what is wrong, so that distance says how big the wrong part is;
 * the network's removal sometimes runs on from a false-positive bump into the true lesion it is attached to. On the
 * bundled interactive model's validation patients, limiting it (2 / 3 / 4×) raised lesion-slice Dice after 3 clicks
 * from 0.880 to 0.888 and cut the slices ending below the proposal from 17 to 9–10; positive clicks gain nothing from
 * a limit.
 */
export const NEGATIVE_REACH = 3;

/**
 * The mask after a click: `previous` with only the connected region of flipped pixels (where `next` turns
 * `previous` the way the click says: background to lesion for a positive click, lesion to background for a negative
 * one) that holds the click taken from the network's `next` (for a negative click, only as far as
 * {@link NEGATIVE_REACH} says). When the network does not follow the click — it leaves the clicked pixel as it
 * was (most often on a lesion a few pixels across, smaller than the network resolves at its input size `size`), or
 * answers the opposite of what the click says there, or the pixel already was what the click says — the click sets
 * its own spot instead: lesion around a positive click, background around a negative one, an ellipse of
 * {@link SET_SPOT_RADIUS} input pixels at the slice's resolution, and the rest of `previous` stays. So the clicked
 * pixel always ends as the click says (the next click goes elsewhere), a positive click never removes and a negative
 * one never adds, and an answer that ignored the click never redraws the rest. Masks are 0/1 at the click's
 * resolution (`width`×`height`).
 */
export function mergeAtClick(previous: Uint8Array, next: Uint8Array, click: Click, width: number, height: number, size: number): Uint8Array {
  const cx = Math.min(width - 1, Math.max(0, Math.round(click.x)));
  const cy = Math.min(height - 1, Math.max(0, Math.round(click.y)));
  const at = cy * width + cx;
  const said = click.positive ? 1 : 0;
  if (next[at] !== said || previous[at] === said) return setSpot(previous, cx, cy, click.positive, (SET_SPOT_RADIUS * width) / size, (SET_SPOT_RADIUS * height) / size, width, height);
  const flipped = new Uint8Array(previous.length);
  for (let i = 0; i < flipped.length; i++) flipped[i] = previous[i] !== said && next[i] === said ? 1 : 0;
  const { labels } = labelComponents(flipped, 1, height, width);
  const region = labels[at]!;
  // A negative click that is followed lies inside `previous`: its distance to the edge is the mask's distance transform.
  const reach = click.positive ? Infinity : NEGATIVE_REACH * Math.sqrt(squaredDistanceTransform(previous, width, height)[at]!);
  const out = previous.slice();
  for (let i = 0; i < out.length; i++) {
    if (labels[i] !== region) continue;
    const x = i % width;
    if (reach === Infinity || Math.hypot(x - cx, (i - x) / width - cy) <= reach) out[i] = next[i]!;
  }
  return out;
}

/** A copy of `mask` with the ellipse of radii `rx`, `ry` around (cx, cy) set to lesion or background. */
function setSpot(mask: Uint8Array, cx: number, cy: number, lesion: boolean, rx: number, ry: number, width: number, height: number): Uint8Array {
  const out = mask.slice();
  for (let y = Math.max(0, Math.ceil(cy - ry)); y <= Math.min(height - 1, Math.floor(cy + ry)); y++) {
    for (let x = Math.max(0, Math.ceil(cx - rx)); x <= Math.min(width - 1, Math.floor(cx + rx)); x++) {
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) out[y * width + x] = lesion ? 1 : 0;
    }
  }
  return out;
}
