import type { AugmentationPreview, AugmentationSettings } from '../contract/index.js';
import type { AugmentationLimits } from './augment.js';
import { augmentedSlice } from './augment-slice.js';
import type { PreparedVolume } from './dataset.js';
import { INPUT_CHANNELS } from './config.js';

/** The core's config field names for the settings a request carries. */
export function augmentationLimits(settings: AugmentationSettings): Required<AugmentationLimits> {
  return {
    augmentFlipProbability: settings.flipProbability,
    augmentScale: settings.scale,
    augmentRotationDegrees: settings.rotationDegrees,
    augmentIntensity: settings.intensity,
  };
}

/**
 * A slice of a prepared volume as training sees it, unaugmented and under `count` draws. The network's inputs are
 * z-scored floats; each channel is shown through one window — the unaugmented slice's own range of that channel,
 * mapped to 0–255 — so the original fills the range and an intensity draw shows as brighter or darker.
 */
export function previewAugmentation(
  volume: PreparedVolume,
  slice: number,
  settings: AugmentationSettings,
  count: number,
  random: () => number,
): AugmentationPreview {
  const size = volume.size;
  const plane = size * size;
  const original = volume.images.subarray(slice * plane * INPUT_CHANNELS, (slice + 1) * plane * INPUT_CHANNELS);
  const toBytes = displayWindow(original);
  const draws: AugmentationPreview['draws'] = [];
  for (let k = 0; k < count; k++) {
    const { image, mask, draw } = augmentedSlice(volume, slice, augmentationLimits(settings), random);
    draws.push({
      image: toBytes(image), mask, flip: draw.flip, scale: draw.scale, rotationDegrees: (draw.radians * 180) / Math.PI || 0, // not -0
    });
  }
  return { size, original: { image: toBytes(original), mask: volume.masks.slice(slice * plane, (slice + 1) * plane) }, draws };
}

/** Per channel, the range of `reference` mapped linearly onto 0–255 (clamped); a flat channel shows black. */
function displayWindow(reference: Float32Array): (image: Float32Array) => Uint8Array {
  const lo = new Array<number>(INPUT_CHANNELS).fill(Infinity);
  const hi = new Array<number>(INPUT_CHANNELS).fill(-Infinity);
  for (let i = 0; i < reference.length; i++) {
    const k = i % INPUT_CHANNELS;
    lo[k] = Math.min(lo[k]!, reference[i]!);
    hi[k] = Math.max(hi[k]!, reference[i]!);
  }
  return (image) => {
    const out = new Uint8Array(image.length);
    for (let i = 0; i < image.length; i++) {
      const k = i % INPUT_CHANNELS;
      const range = hi[k]! - lo[k]!;
      out[i] = range > 0 ? Math.round(Math.min(1, Math.max(0, (image[i]! - lo[k]!) / range)) * 255) : 0;
    }
    return out;
  };
}
