// How clicks and the current mask reach the network: three MR channels, then a positive-click map, a
// negative-click map and the current mask (channels-last, at the model's input size).
import type { Click } from './clicks.js';

/** The interactive network's input channels: pre-contrast, FLAIR, post-contrast, positive clicks, negative clicks, mask. */
export const INTERACTIVE_CHANNELS = 6;
/**
 * The most clicks one proposal is computed from: the newest ones (each is a disk in the input; hundreds would
 * cover the slice and say nothing). The clicks beyond stay with the caller and with the saved mask's provenance.
 */
export const MAX_CLICKS_USED = 64;
/** The MR channels that come first in the input. */
const IMAGE_CHANNELS = 3;
/** The current mask's channel, the last (the loss reads the prompt back from the input). */
export const MASK_CHANNEL = 5;

/**
 * Disk radius of a click in input pixels. RITM encodes clicks as disks of radius 5 on ~400-pixel crops; at the
 * model's 128² (LGG slices are 256²) 3 pixels covers about as much of the lesion scale.
 */
export const CLICK_RADIUS = 3;

/**
 * The value of a click disk and of the mask inside the input (0 elsewhere). The new channels' first-layer weights
 * start at zero and Adam moves a weight by about the learning rate per step whatever its gradient's size, so the
 * input's scale sets how fast they come to matter: 4 gives them ~4× the rate of the pretrained weights, as RITM
 * trains its click encoder at 10× its backbone's rate.
 */
export const GUIDANCE_VALUE = 4;

/** Positive and negative clicks as two disk maps of size×size ({@link GUIDANCE_VALUE} inside a disk, 0 outside). */
export function encodeClicks(clicks: readonly Click[], size: number, radius = CLICK_RADIUS): { positive: Float32Array; negative: Float32Array } {
  const positive = new Float32Array(size * size);
  const negative = new Float32Array(size * size);
  const r = Math.ceil(radius);
  for (const click of clicks) {
    const map = click.positive ? positive : negative;
    for (let dy = -r; dy <= r; dy++) {
      const y = click.y + dy;
      if (y < 0 || y >= size) continue;
      for (let dx = -r; dx <= r; dx++) {
        const x = click.x + dx;
        if (x >= 0 && x < size && dx * dx + dy * dy <= radius * radius) map[y * size + x] = GUIDANCE_VALUE;
      }
    }
  }
  return { positive, negative };
}

/**
 * Writes one slice's network input into `out` at sample `index`: the normalised image ([size, size, 3]), the
 * click maps and the current mask (given 0/1 at the input size). Returns `out`.
 */
export function assembleInput(
  image: Float32Array,
  clicks: readonly Click[],
  mask: Uint8Array,
  size: number,
  out: Float32Array = new Float32Array(size * size * INTERACTIVE_CHANNELS),
  index = 0,
): Float32Array {
  const plane = size * size;
  if (image.length !== plane * IMAGE_CHANNELS) throw new Error(`assembleInput: image has ${image.length} values, expected ${plane * IMAGE_CHANNELS}`);
  if (mask.length !== plane) throw new Error(`assembleInput: mask has ${mask.length} values, expected ${plane}`);
  const { positive, negative } = encodeClicks(clicks, size);
  const base = index * plane * INTERACTIVE_CHANNELS;
  for (let i = 0; i < plane; i++) {
    const o = base + i * INTERACTIVE_CHANNELS;
    out[o] = image[i * IMAGE_CHANNELS]!;
    out[o + 1] = image[i * IMAGE_CHANNELS + 1]!;
    out[o + 2] = image[i * IMAGE_CHANNELS + 2]!;
    out[o + 3] = positive[i]!;
    out[o + 4] = negative[i]!;
    out[o + MASK_CHANNEL] = mask[i] ? GUIDANCE_VALUE : 0;
  }
  return out;
}
