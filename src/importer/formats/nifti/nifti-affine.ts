// The voxel → world map of a NIfTI header, by the standard's precedence as we apply it: the sform if its code is
// set (it is what registration tools and nibabel's `affine` use), else the qform, else the voxel sizes alone.
// NIfTI's world is RAS+; the workstation's is DICOM's LPS+, so the result is flipped on the way out.
import { flipRasLps } from '../../../imaging/volume/affine.js';

/** The header fields the affine is computed from (pixdim[0] is qfac; srow rows are x, y, z of the sform). */
export interface XformFields {
  pixdim: readonly number[];
  qformCode: number;
  sformCode: number;
  quatern: readonly [number, number, number];
  qoffset: readonly [number, number, number];
  srow: readonly [readonly number[], readonly number[], readonly number[]];
}

export interface NiftiAffine {
  /** Voxel → LPS mm, row-major 4×4. */
  lps: number[];
  source: 'sform' | 'qform' | 'pixdim';
}

export function niftiAffine(f: XformFields): NiftiAffine {
  if (f.sformCode > 0) {
    return { lps: flipRasLps([...f.srow[0], ...f.srow[1], ...f.srow[2], 0, 0, 0, 1]), source: 'sform' };
  }
  if (f.qformCode > 0) return { lps: flipRasLps(qformAffine(f)), source: 'qform' };
  const size = (n: number) => (Number.isFinite(n) && n !== 0 ? Math.abs(n) : 1);
  const ras = [size(f.pixdim[1]!), 0, 0, 0, 0, size(f.pixdim[2]!), 0, 0, 0, 0, size(f.pixdim[3]!), 0, 0, 0, 0, 1];
  return { lps: flipRasLps(ras), source: 'pixdim' };
}

/** The qform as nifti1_io's quatern_to_mat44 computes it (RAS). */
export function qformAffine(f: XformFields): number[] {
  let [b, c, d] = f.quatern;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // Rounding in a float32 header can push b²+c²+d² just past 1: renormalise and take a = 0 (a 180° turn).
    const norm = Math.sqrt(b * b + c * c + d * d);
    b /= norm;
    c /= norm;
    d /= norm;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  // Voxel sizes are positive by the standard; qfac (pixdim[0]) says whether k runs the other way.
  const dx = Math.abs(f.pixdim[1]!);
  const dy = Math.abs(f.pixdim[2]!);
  const dz = Math.abs(f.pixdim[3]!) * (f.pixdim[0]! < 0 ? -1 : 1);
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ] as const;
  const [x, y, z] = f.qoffset;
  return [
    r[0][0] * dx, r[0][1] * dy, r[0][2] * dz, x,
    r[1][0] * dx, r[1][1] * dy, r[1][2] * dz, y,
    r[2][0] * dx, r[2][1] * dy, r[2][2] * dz, z,
    0, 0, 0, 1,
  ];
}
