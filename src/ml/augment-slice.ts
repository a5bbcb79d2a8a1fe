import { augmentSample, drawAugmentation, type Augmentation, type AugmentationLimits } from './augment.js';
import type { PreparedVolume } from './dataset.js';
import { INPUT_CHANNELS } from './config.js';

/**
 * One training sample: a slice of a prepared volume under a fresh random draw of the augmentation. The trainer's
 * batches and the training panel's preview both come from here, so what the preview shows is what the network gets.
 */
export function augmentedSlice(
  volume: PreparedVolume,
  slice: number,
  limits: AugmentationLimits,
  random: () => number,
): { image: Float32Array; mask: Uint8Array; draw: Augmentation } {
  const plane = volume.size * volume.size;
  const image = volume.images.subarray(slice * plane * INPUT_CHANNELS, (slice + 1) * plane * INPUT_CHANNELS);
  const mask = volume.masks.subarray(slice * plane, (slice + 1) * plane);
  const draw = drawAugmentation(random, limits, INPUT_CHANNELS);
  return { ...augmentSample(image, mask, volume.size, INPUT_CHANNELS, draw), draw };
}
