// From a sequence's own units (what the scanner or the NIfTI file stores, after rescale) to the 8-bit channels the
// model was trained on. The LGG slices are 8-bit per channel and per volume, from 0 up to a maximum between about
// 190 and 255 (their brightest voxels sit at about twice the 99.9th percentile). A per-volume linear map does the
// same here: the volume's minimum goes to 0 and its maximum to 255, unless a few outliers (a marker, a hot pixel)
// lie beyond twice the 99.9th percentile, which would squeeze the brain into a few grey levels; those saturate.
// (The importer keeps volumes that are 8-bit data already as they are.) The map is kept with the patient so the
// viewer shows values and window/level in source units.

/** Source values mapped to 8-bit 0 and 255 (linear between, clipped outside). */
export interface IntensityWindow {
  low: number;
  high: number;
}

const HISTOGRAM_BINS = 4096;

/** The 8-bit window of a volume's values (source units, any iterable typed array). */
export function intensityWindowOf(values: ArrayLike<number>): IntensityWindow {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { low: 0, high: 1 };
  if (max - min < 1e-6) return { low: min, high: min + 1 };
  const p999 = quantile(values, min, max, 0.999);
  const ceiling = min + 2 * (p999 - min);
  return { low: min, high: max > ceiling && ceiling > min ? ceiling : max };
}

/** An approximate quantile by a fine histogram (exact enough to pick a saturation point). */
function quantile(values: ArrayLike<number>, min: number, max: number, q: number): number {
  const bins = new Float64Array(HISTOGRAM_BINS);
  const scale = (HISTOGRAM_BINS - 1) / (max - min);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    bins[Math.floor((v - min) * scale)]!++;
    count++;
  }
  const rank = q * count;
  let seen = 0;
  for (let b = 0; b < HISTOGRAM_BINS; b++) {
    seen += bins[b]!;
    if (seen >= rank) return min + (b + 1) / scale;
  }
  return max;
}

/** One source value as the 8-bit channel value the model reads (NaN → 0). */
export function to8bit(value: number, window: IntensityWindow): number {
  if (!(value > window.low)) return 0;
  if (value >= window.high) return 255;
  return Math.round((255 * (value - window.low)) / (window.high - window.low));
}

/** The source value an 8-bit channel value stands for (the viewer's readout and window/level in source units). */
export function from8bit(value: number, window: IntensityWindow): number {
  return window.low + (value / 255) * (window.high - window.low);
}
