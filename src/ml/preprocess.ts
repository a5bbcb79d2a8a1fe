/**
 * Per-volume intensity normalisation of brain-segmentation-pytorch: rescale the whole volume between its 10th
 * and 99th percentiles (clipping outside), then z-score each channel over the volume. Applied identically at
 * training, prediction and evaluation time.
 *
 * `volume` holds 8-bit slices interleaved as [slice, y, x, channel]; the result is float32 in the same layout.
 */
export function normalizeVolume(volume: Uint8Array, channels: number): Float32Array {
  const [p10, p99] = percentiles8bit(volume, [0.1, 0.99]) as [number, number];
  const range = Math.max(p99 - p10, 1e-6);
  const out = new Float32Array(volume.length);
  for (let i = 0; i < volume.length; i++) out[i] = Math.min(1, Math.max(0, (volume[i]! - p10) / range));

  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let sumSq = 0;
    const count = volume.length / channels;
    for (let i = c; i < out.length; i += channels) {
      sum += out[i]!;
      sumSq += out[i]! * out[i]!;
    }
    const mean = sum / count;
    const std = Math.sqrt(Math.max(sumSq / count - mean * mean, 0));
    // A constant channel (a missing sequence filled with one value) stays at zero rather than dividing by 0.
    const scale = std > 1e-6 ? 1 / std : 0;
    for (let i = c; i < out.length; i += channels) out[i] = (out[i]! - mean) * scale;
  }
  return out;
}

/** Exact percentiles of 8-bit data by histogram, interpolated linearly like numpy's default. */
export function percentiles8bit(values: Uint8Array, quantiles: readonly number[]): number[] {
  const histogram = new Float64Array(256);
  for (let i = 0; i < values.length; i++) histogram[values[i]!]!++;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v]!;
      if (seen > rank) return v;
    }
    return 255;
  };
  return quantiles.map((q) => {
    const position = q * (values.length - 1);
    const lower = Math.floor(position);
    const low = valueAt(lower);
    const high = valueAt(Math.min(lower + 1, values.length - 1));
    return low + (high - low) * (position - lower);
  });
}

/** Nearest-neighbour resize of a one-byte-per-pixel mask (keeps labels exactly 0/1). */
export function resizeMaskNearest(mask: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  const out = new Uint8Array(toWidth * toHeight);
  for (let y = 0; y < toHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / toHeight));
    for (let x = 0; x < toWidth; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / toWidth));
      out[y * toWidth + x] = mask[sy * width + sx]!;
    }
  }
  return out;
}
