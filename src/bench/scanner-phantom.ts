// The content of the scanner-import benchmark's inputs: one patient as 8-bit stacks (T1, FLAIR, T1c, T2, lesion
// mask), either a real LGG patient read from the sample's TIFFs or, with no sample at hand, a synthetic head with a
// lesion. Both are deterministic. The writers (./scanner-inputs.ts) resample these stacks onto whatever grid a case
// needs (240×240×155 for BraTS, 512×512×200 for the DICOM series) and store them as 16-bit scanner values.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export const SEQUENCES = ['t1', 'flair', 't1c', 't2'] as const;
export type Sequence = (typeof SEQUENCES)[number];

/** One patient as 8-bit stacks, slice-major ([slice][row][column]), slice 1 (toward the feet) first. */
export interface SourceCase {
  /** What it is, for the report: `LGG TCGA_CS_6666_20011109` or `synthetic phantom`. */
  name: string;
  width: number;
  height: number;
  slices: number;
  channels: Record<Sequence, Uint8Array>;
  /** 0/1 */
  mask: Uint8Array;
}

/** The LGG patient the benchmark uses by default: 22 lesion slices of 52, a lesion visible on FLAIR. */
export const DEFAULT_LGG_CASE = 'TCGA_CS_6666_20011109';

/**
 * A sample patient folder (`<case>_<n>.tif` RGB = pre-contrast T1, FLAIR, post-contrast T1; `<case>_<n>_mask.tif`).
 * The LGG data has no T2: one is made from the FLAIR and the T1 (bright where the FLAIR is bright, and where the T1
 * is dark inside the head: fluid), which is enough for a file that is read and stored, not diagnosed.
 */
export async function readLggCase(folder: string): Promise<SourceCase> {
  const caseId = path.basename(folder);
  const numbers = readdirSync(folder)
    .map((f) => /_(\d+)\.tif$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  if (numbers.length === 0) throw new Error(`${folder} holds no LGG slices (<case>_<n>.tif)`);
  const planes: Record<'t1' | 'flair' | 't1c', Buffer[]> = { t1: [], flair: [], t1c: [] };
  const masks: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (const n of numbers) {
    const base = path.join(folder, `${caseId}_${n}`);
    const image = await sharp(`${base}.tif`).raw().toBuffer({ resolveWithObject: true });
    ({ width, height } = image.info);
    const pixels = width * height;
    const step = image.info.channels;
    (['t1', 'flair', 't1c'] as const).forEach((sequence, c) => {
      const plane = Buffer.alloc(pixels);
      for (let i = 0; i < pixels; i++) plane[i] = image.data[i * step + Math.min(c, step - 1)]!;
      planes[sequence].push(plane);
    });
    const mask = await sharp(`${base}_mask.tif`).raw().toBuffer({ resolveWithObject: true });
    const plane = Buffer.alloc(pixels);
    for (let i = 0; i < pixels; i++) plane[i] = mask.data[i * mask.info.channels]! >= 128 ? 1 : 0;
    masks.push(plane);
  }
  const t1 = new Uint8Array(Buffer.concat(planes.t1));
  const flair = new Uint8Array(Buffer.concat(planes.flair));
  const t2 = new Uint8Array(flair.length);
  for (let i = 0; i < t2.length; i++) {
    const inside = flair[i]! > 8 || t1[i]! > 8;
    t2[i] = inside ? Math.min(255, Math.round(0.6 * flair[i]! + 0.5 * Math.max(0, 160 - t1[i]!))) : 0;
  }
  return {
    name: `LGG ${caseId}`, width, height, slices: numbers.length,
    channels: { t1, flair, t1c: new Uint8Array(Buffer.concat(planes.t1c)), t2 },
    mask: new Uint8Array(Buffer.concat(masks)),
  };
}

/**
 * A head-like phantom: scalp and skull, brain, two ventricles and a lesion (bright on FLAIR and T2, enhancing rim
 * on T1c), on a `size`² × `slices` grid. Deterministic: no randomness at all.
 */
export function syntheticCase(size = 256, slices = 48): SourceCase {
  const pixels = size * size;
  const channels = Object.fromEntries(SEQUENCES.map((s) => [s, new Uint8Array(pixels * slices)])) as Record<Sequence, Uint8Array>;
  const mask = new Uint8Array(pixels * slices);
  // Tissue intensities per sequence: [t1, flair, t1c, t2].
  const scalp = [200, 120, 205, 110];
  const skull = [30, 20, 30, 25];
  const white = [150, 95, 155, 70];
  const grey = [110, 115, 115, 100];
  const fluid = [35, 25, 40, 230];
  const lesion = [85, 220, 95, 210];
  const rim = [90, 200, 235, 190];
  for (let k = 0; k < slices; k++) {
    const z = ((k + 0.5) / slices) * 2 - 1; // −1 (feet) … 1 (head)
    for (let r = 0; r < size; r++) {
      const y = ((r + 0.5) / size) * 2 - 1;
      for (let c = 0; c < size; c++) {
        const x = ((c + 0.5) / size) * 2 - 1;
        const head = (x / 0.78) ** 2 + (y / 0.92) ** 2 + (z / 1.05) ** 2;
        if (head > 1) continue;
        const brain = (x / 0.68) ** 2 + (y / 0.82) ** 2 + (z / 0.95) ** 2;
        const i = k * pixels + r * size + c;
        let tissue = head > 0.93 ? scalp : skull;
        if (brain <= 1) {
          tissue = brain > 0.78 ? grey : white;
          // Gyri: a ripple on the cortex.
          if (brain > 0.7 && Math.sin(18 * Math.atan2(y, x) + 6 * z) > 0.6) tissue = grey;
          const ventricle = Math.min(((x - 0.12) / 0.07) ** 2, ((x + 0.12) / 0.07) ** 2) + (y / 0.3) ** 2 + (z / 0.35) ** 2;
          if (ventricle <= 1) tissue = fluid;
          const l = ((x - 0.32) / 0.2) ** 2 + ((y + 0.25) / 0.18) ** 2 + ((z - 0.15) / 0.3) ** 2;
          if (l <= 1) {
            tissue = l > 0.75 ? rim : lesion;
            mask[i] = 1;
          }
        }
        SEQUENCES.forEach((s, n) => (channels[s][i] = tissue[n]!));
      }
    }
  }
  return { name: 'synthetic phantom', width: size, height: size, slices, channels, mask };
}

/**
 * A stack resampled onto an nx × ny × nz grid covering the same field of view (voxel centres mapped onto voxel
 * centres): trilinear for images, nearest for masks.
 */
export function resampleStack(source: SourceCase, stack: Uint8Array, dims: readonly [number, number, number], nearest: boolean): Float32Array {
  const [nx, ny, nz] = dims;
  const { width: w, height: h, slices: n } = source;
  const out = new Float32Array(nx * ny * nz);
  const axis = (count: number, from: number) => {
    const lo = new Int32Array(count);
    const hi = new Int32Array(count);
    const t = new Float32Array(count);
    for (let a = 0; a < count; a++) {
      const p = Math.min(from - 1, Math.max(0, ((a + 0.5) * from) / count - 0.5));
      lo[a] = nearest ? Math.min(from - 1, Math.round(p)) : Math.floor(p);
      hi[a] = Math.min(from - 1, lo[a]! + 1);
      t[a] = nearest ? 0 : p - lo[a]!;
    }
    return { lo, hi, t };
  };
  const ax = axis(nx, w);
  const ay = axis(ny, h);
  const az = axis(nz, n);
  const plane = w * h;
  let o = 0;
  for (let k = 0; k < nz; k++) {
    const z0 = az.lo[k]! * plane, z1 = az.hi[k]! * plane, tz = az.t[k]!;
    for (let j = 0; j < ny; j++) {
      const y0 = ay.lo[j]! * w, y1 = ay.hi[j]! * w, ty = ay.t[j]!;
      for (let i = 0; i < nx; i++, o++) {
        const x0 = ax.lo[i]!, x1 = ax.hi[i]!, tx = ax.t[i]!;
        if (nearest) {
          out[o] = stack[z0 + y0 + x0]!;
          continue;
        }
        const a = stack[z0 + y0 + x0]! + (stack[z0 + y0 + x1]! - stack[z0 + y0 + x0]!) * tx;
        const b = stack[z0 + y1 + x0]! + (stack[z0 + y1 + x1]! - stack[z0 + y1 + x0]!) * tx;
        const c = stack[z1 + y0 + x0]! + (stack[z1 + y0 + x1]! - stack[z1 + y0 + x0]!) * tx;
        const d = stack[z1 + y1 + x0]! + (stack[z1 + y1 + x1]! - stack[z1 + y1 + x0]!) * tx;
        const top = a + (b - a) * ty;
        out[o] = top + (c + (d - c) * ty - top) * tz;
      }
    }
  }
  return out;
}

/**
 * 8-bit-scale values as a scanner's 16-bit stored values: `value · scale` plus a little deterministic noise inside
 * the head (scanner images are never flat, and flat images would gzip unrealistically well); 0 outside.
 */
export function toStored16<T extends Int16Array | Uint16Array>(values: Float32Array, scale: number, out: T, seed: number): T {
  let state = seed >>> 0 || 1;
  const max = out instanceof Int16Array ? 32767 : 65535;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0.5) {
      out[i] = 0;
      continue;
    }
    // xorshift32: the same noise on every run.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const noise = ((state >>> 0) / 4294967296 - 0.5) * 2 * scale;
    out[i] = Math.max(1, Math.min(max, Math.round(v * scale + noise)));
  }
  return out;
}
