// Puts another sequence's volume onto the FLAIR's axial grid by patient coordinates, so the channels line up voxel
// for voxel as in the LGG data. Images are interpolated trilinearly, labels by nearest voxel; outside the other
// volume's field of view a voxel is 0. Where the two grids coincide (the usual BraTS case) every sample lands on
// a voxel centre and the values are copied exactly.
import { invert, multiply, type Affine } from './affine.js';
import type { Volume } from './volume.js';

export type Interpolation = 'linear' | 'nearest';

// Sample positions this close to a voxel centre are taken as on it, so identical grids copy values exactly
// despite rounding in the affines.
const SNAP = 1e-4;

function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < SNAP ? r : v;
}

/** The target grid: dims and voxel → LPS affine. */
export interface TargetGrid {
  dims: readonly [number, number, number];
  affine: Affine;
}

/**
 * Samples `source` (in source units) on one z slice of a target grid; returns that slice's voxels row-major.
 * Slice by slice, so a large volume is never held twice.
 */
export function resampleSlice(source: Volume, target: TargetGrid, z: number, interpolation: Interpolation): Float32Array {
  const [nx, ny] = target.dims;
  const [n0, n1, n2] = source.dims;
  const m = multiply(invert(source.affine), target.affine); // target index → source index
  const out = new Float32Array(nx * ny);
  const { data, slope, intercept } = source;
  const at = (i: number, j: number, k: number) => data[i + n0 * (j + n1 * k)]! * slope + intercept;
  let o = 0;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++, o++) {
      const si = snap(m[0]! * x + m[1]! * y + m[2]! * z + m[3]!);
      const sj = snap(m[4]! * x + m[5]! * y + m[6]! * z + m[7]!);
      const sk = snap(m[8]! * x + m[9]! * y + m[10]! * z + m[11]!);
      if (interpolation === 'nearest') {
        const i = Math.round(si), j = Math.round(sj), k = Math.round(sk);
        out[o] = i >= 0 && j >= 0 && k >= 0 && i < n0 && j < n1 && k < n2 ? at(i, j, k) : 0;
        continue;
      }
      if (si < 0 || sj < 0 || sk < 0 || si > n0 - 1 || sj > n1 - 1 || sk > n2 - 1) {
        out[o] = 0;
        continue;
      }
      const i0 = Math.floor(si), j0 = Math.floor(sj), k0 = Math.floor(sk);
      const fi = si - i0, fj = sj - j0, fk = sk - k0;
      const i1 = Math.min(i0 + 1, n0 - 1), j1 = Math.min(j0 + 1, n1 - 1), k1 = Math.min(k0 + 1, n2 - 1);
      const c00 = at(i0, j0, k0) * (1 - fi) + at(i1, j0, k0) * fi;
      const c10 = at(i0, j1, k0) * (1 - fi) + at(i1, j1, k0) * fi;
      const c01 = at(i0, j0, k1) * (1 - fi) + at(i1, j0, k1) * fi;
      const c11 = at(i0, j1, k1) * (1 - fi) + at(i1, j1, k1) * fi;
      out[o] = (c00 * (1 - fj) + c10 * fj) * (1 - fk) + (c01 * (1 - fj) + c11 * fj) * fk;
    }
  }
  return out;
}

/** True when two grids place every voxel at the same point (within a micrometre): values can be copied. */
export function sameGrid(a: TargetGrid, b: TargetGrid): boolean {
  return a.dims.every((n, i) => n === b.dims[i]) && a.affine.every((v, i) => Math.abs(v - b.affine[i]!) < 1e-3);
}
