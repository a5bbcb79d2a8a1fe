// 4×4 affine matrices (row-major, last row 0 0 0 1) for voxel ↔ patient coordinates.

export type Affine = readonly number[];

export function multiply(a: Affine, b: Affine): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = sum;
    }
  }
  return out;
}

/** The inverse of an affine (throws on a singular one: callers check volumes first). */
export function invert(a: Affine): number[] {
  const [m00, m01, m02, t0, m10, m11, m12, t1, m20, m21, m22, t2] = a as number[] as [number, number, number, number, number, number, number, number, number, number, number, number];
  const c00 = m11 * m22 - m12 * m21;
  const c01 = m12 * m20 - m10 * m22;
  const c02 = m10 * m21 - m11 * m20;
  const det = m00 * c00 + m01 * c01 + m02 * c02;
  if (Math.abs(det) < 1e-12) throw new Error('singular affine');
  const inv = [
    c00 / det, (m02 * m21 - m01 * m22) / det, (m01 * m12 - m02 * m11) / det,
    c01 / det, (m00 * m22 - m02 * m20) / det, (m02 * m10 - m00 * m12) / det,
    c02 / det, (m01 * m20 - m00 * m21) / det, (m00 * m11 - m01 * m10) / det,
  ] as [number, number, number, number, number, number, number, number, number];
  const tx = -(inv[0] * t0 + inv[1] * t1 + inv[2] * t2);
  const ty = -(inv[3] * t0 + inv[4] * t1 + inv[5] * t2);
  const tz = -(inv[6] * t0 + inv[7] * t1 + inv[8] * t2);
  return [inv[0], inv[1], inv[2], tx, inv[3], inv[4], inv[5], ty, inv[6], inv[7], inv[8], tz, 0, 0, 0, 1];
}

export function apply(a: Affine, p: readonly [number, number, number]): [number, number, number] {
  return [
    a[0]! * p[0] + a[1]! * p[1] + a[2]! * p[2] + a[3]!,
    a[4]! * p[0] + a[5]! * p[1] + a[6]! * p[2] + a[7]!,
    a[8]! * p[0] + a[9]! * p[1] + a[10]! * p[2] + a[11]!,
  ];
}

/** NIfTI's RAS+ and DICOM's LPS+ differ by the sign of x and y; the same flip converts either way. */
export function flipRasLps(a: Affine): number[] {
  return a.map((v, i) => (i < 8 ? -v : v));
}

export function identity(): number[] {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}
