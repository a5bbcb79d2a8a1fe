/** One random transform, drawn per sample: geometric, then a per-channel gain and shift of the intensities. */
export interface Augmentation {
  scale: number;
  radians: number;
  flip: boolean;
  /** Per channel; empty means unchanged intensities. */
  gains?: readonly number[];
  shifts?: readonly number[];
}

export interface AugmentationLimits {
  augmentScale: number;
  augmentRotationDegrees: number;
  augmentFlipProbability: number;
  augmentIntensity?: number;
}

export function drawAugmentation(random: () => number, limits: AugmentationLimits, channels = 3): Augmentation {
  const symmetric = (limit: number) => (random() * 2 - 1) * limit;
  const geometric = {
    scale: 1 + symmetric(limits.augmentScale),
    radians: (symmetric(limits.augmentRotationDegrees) * Math.PI) / 180,
    flip: random() < limits.augmentFlipProbability,
  };
  const intensity = limits.augmentIntensity ?? 0;
  if (intensity === 0) return geometric;
  const gains: number[] = [];
  const shifts: number[] = [];
  for (let k = 0; k < channels; k++) {
    gains.push(1 + symmetric(intensity));
    shifts.push(symmetric(intensity));
  }
  return { ...geometric, gains, shifts };
}

/**
 * Applies scale, rotation about the centre and horizontal flip to a square float image (HWC, bilinear) and its
 * mask (nearest neighbour, so labels stay 0/1), then the intensity gain and shift to the image's pixels. Pixels from outside the source are 0 — the volume mean after
 * normalisation — and background for the mask.
 */
export function augmentSample(
  image: Float32Array,
  mask: Uint8Array,
  size: number,
  channels: number,
  { scale, radians, flip, gains, shifts }: Augmentation,
): { image: Float32Array; mask: Uint8Array } {
  const outImage = new Float32Array(image.length);
  const outMask = new Uint8Array(mask.length);
  const c = (size - 1) / 2;
  const cos = Math.cos(radians) / scale;
  const sin = Math.sin(radians) / scale;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Inverse map: output pixel → source position (unflip, unrotate, unscale about the centre).
      const dx = (flip ? size - 1 - x : x) - c;
      const dy = y - c;
      const sx = cos * dx + sin * dy + c;
      const sy = -sin * dx + cos * dy + c;
      const o = y * size + x;
      const nx = Math.round(sx);
      const ny = Math.round(sy);
      if (nx >= 0 && ny >= 0 && nx < size && ny < size) outMask[o] = mask[ny * size + nx]!;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= size || y0 >= size) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      for (let k = 0; k < channels; k++) {
        const at = (xx: number, yy: number) =>
          xx >= 0 && yy >= 0 && xx < size && yy < size ? image[(yy * size + xx) * channels + k]! : 0;
        const value =
          (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
        outImage[o * channels + k] = gains ? value * gains[k]! + shifts![k]! : value;
      }
    }
  }
  return { image: outImage, mask: outMask };
}
