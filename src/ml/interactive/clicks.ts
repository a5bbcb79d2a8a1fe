// Click simulation for interactive segmentation (issue #29), as RITM (Sofiiuk et al. 2022) and DeepEdit / MONAI
// DeepGrow place their training and evaluation clicks: the next click goes where the current mask is most wrong.
import { labelComponents } from '../metrics.js';

/** One click on a slice, in pixels of the image it was placed on; positive marks lesion, negative background. */
export interface Click {
  x: number;
  y: number;
  positive: boolean;
}

/**
 * Squared Euclidean distance of every pixel of `region` (non-zero) to the nearest pixel outside it, the image
 * border counting as outside unless `borderOutside` is false (Felzenszwalb & Huttenlocher's two-pass transform; 0
 * outside the region). Without the border and without any pixel outside the region, every distance is beyond the
 * image's diagonal.
 */
export function squaredDistanceTransform(region: Uint8Array, width: number, height: number, borderOutside = true): Float32Array {
  // One pixel of padding on every side holds the "outside" beyond the image border.
  const w = width + 2;
  const h = height + 2;
  const far = (w + h) * (w + h);
  const grid = new Float64Array(w * h).fill(borderOutside ? 0 : far);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) grid[(y + 1) * w + x + 1] = region[y * width + x] ? far : 0;
  }
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const pass = (length: number, get: (i: number) => number, set: (i: number, value: number) => void) => {
    for (let i = 0; i < length; i++) f[i] = get(i);
    let k = 0;
    v[0] = 0;
    z[0] = -Infinity;
    z[1] = Infinity;
    for (let q = 1; q < length; q++) {
      let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
      while (s <= z[k]!) {
        k--;
        s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Infinity;
    }
    k = 0;
    for (let q = 0; q < length; q++) {
      while (z[k + 1]! < q) k++;
      d[q] = (q - v[k]!) * (q - v[k]!) + f[v[k]!]!;
    }
    for (let i = 0; i < length; i++) set(i, d[i]!);
  };
  for (let x = 0; x < w; x++) pass(h, (i) => grid[i * w + x]!, (i, value) => (grid[i * w + x] = value));
  for (let y = 0; y < h; y++) pass(w, (i) => grid[y * w + i]!, (i, value) => (grid[y * w + i] = value));
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = region[y * width + x] ? grid[(y + 1) * w + x + 1]! : 0;
  }
  return out;
}

/** The largest 4-connected region of a binary image (a copy holding only it), with its area; null when empty. */
export function largestRegion(mask: Uint8Array, width: number, height: number): { region: Uint8Array; area: number } | null {
  const { labels, count } = labelComponents(mask, 1, height, width);
  if (count === 0) return null;
  const areas = new Int32Array(count + 1);
  for (const label of labels) areas[label]!++;
  let best = 1;
  for (let label = 2; label <= count; label++) if (areas[label]! > areas[best]!) best = label;
  const region = new Uint8Array(mask.length);
  for (let i = 0; i < labels.length; i++) if (labels[i] === best) region[i] = 1;
  return { region, area: areas[best]! };
}

/**
 * The next simulated click: in the largest error region (missed lesion or false positive, 4-connected), at its
 * interior point farthest from the region's border (the first such pixel in raster order, so it is
 * deterministic); positive in a miss, negative in a false positive. Null when the mask is already right.
 */
export function nextClick(predicted: Uint8Array, truth: Uint8Array, width: number, height: number): Click | null {
  const missed = new Uint8Array(truth.length);
  const extra = new Uint8Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] !== 0;
    const p = predicted[i] !== 0;
    if (t && !p) missed[i] = 1;
    else if (p && !t) extra[i] = 1;
  }
  const miss = largestRegion(missed, width, height);
  const fp = largestRegion(extra, width, height);
  // A tie goes to the miss: adding lesion is what a reader does first.
  const pick = miss && (!fp || miss.area >= fp.area) ? { ...miss, positive: true } : fp ? { ...fp, positive: false } : null;
  if (!pick) return null;
  const distances = squaredDistanceTransform(pick.region, width, height);
  let best = -1;
  for (let i = 0; i < distances.length; i++) if (best < 0 || distances[i]! > distances[best]!) best = i;
  return { x: best % width, y: Math.floor(best / width), positive: pick.positive };
}

/** A click placed on a `fromWidth`×`fromHeight` image, at the same spot of a `toWidth`×`toHeight` one. */
export function scaleClick(click: Click, fromWidth: number, fromHeight: number, toWidth: number, toHeight: number): Click {
  const map = (v: number, from: number, to: number) => Math.min(to - 1, Math.max(0, Math.floor(((v + 0.5) * to) / from)));
  return { x: map(click.x, fromWidth, toWidth), y: map(click.y, fromHeight, toHeight), positive: click.positive };
}
