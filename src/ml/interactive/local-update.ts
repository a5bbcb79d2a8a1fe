// How a click's answer is taken into the mask: only where the click is about. FocalClick's "progressive merge"
// (Chen et al., CVPR 2022) does this because a network asked about one spot also redraws the rest of the mask, and
// there it can undo what the proposal and the earlier clicks had right.
import { labelComponents } from '../metrics.js';
import type { Click } from './clicks.js';

/**
 * The mask after a click: `previous` with only the connected region of flipped pixels (where `next` differs from
 * `previous`) that holds the click taken from the network's `next`. When the network left the clicked pixel as it
 * was, its whole answer is taken: the local rule has nothing to anchor on, and keeping `previous` would make the
 * same click again and again. Masks are 0/1 at the click's resolution.
 */
export function mergeAtClick(previous: Uint8Array, next: Uint8Array, click: Click, width: number, height: number): Uint8Array {
  const at = Math.min(height - 1, Math.max(0, Math.round(click.y))) * width + Math.min(width - 1, Math.max(0, Math.round(click.x)));
  if (previous[at] === next[at]) return next;
  const flipped = new Uint8Array(previous.length);
  for (let i = 0; i < flipped.length; i++) flipped[i] = previous[i] !== next[i] ? 1 : 0;
  const { labels } = labelComponents(flipped, 1, height, width);
  const region = labels[at]!;
  const out = previous.slice();
  for (let i = 0; i < out.length; i++) if (labels[i] === region) out[i] = next[i]!;
  return out;
}
