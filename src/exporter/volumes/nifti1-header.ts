// A NIfTI-1 header for a grid that has no NIfTI file behind it (a DICOM or LGG patient exported as NIfTI): dims,
// voxel sizes, and the affine as both sform and qform, so ITK-SNAP, Slicer and nibabel place it identically.
import { flipRasLps, type Affine } from '../../imaging/volume/affine.js';
import { voxelSpacing } from '../../imaging/volume/volume.js';

const HEADER_BYTES = 348;
const NIFTI_XFORM_SCANNER_ANAT = 1;
const DT_UINT8 = 2;

/** A little-endian NIfTI-1 header (348 bytes) for a uint8 volume on `dims` with voxel → LPS `affine`. */
export function nifti1Header(dims: readonly [number, number, number], affineLps: Affine, description: string): Uint8Array {
  const buffer = new ArrayBuffer(HEADER_BYTES);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  const ras = flipRasLps(affineLps);
  const spacing = voxelSpacing(ras);
  view.setInt32(0, HEADER_BYTES, true);
  view.setInt8(38, 'r'.charCodeAt(0)); // regular
  [3, dims[0], dims[1], dims[2], 1, 1, 1, 1].forEach((d, i) => view.setInt16(40 + 2 * i, d, true));
  view.setInt16(70, DT_UINT8, true);
  view.setInt16(72, 8, true);
  const { quaternion, qfac } = quaternionOf(ras, spacing);
  [qfac, spacing[0], spacing[1], spacing[2], 0, 0, 0, 0].forEach((p, i) => view.setFloat32(76 + 4 * i, p, true));
  view.setFloat32(108, 352, true); // vox_offset
  view.setFloat32(112, 1, true); // scl_slope
  view.setFloat32(116, 0, true); // scl_inter
  view.setInt8(123, 2); // xyzt_units: mm
  view.setFloat32(124, 1, true); // cal_max
  bytes.set(new TextEncoder().encode(description.slice(0, 79)), 148);
  view.setInt16(252, NIFTI_XFORM_SCANNER_ANAT, true); // qform_code
  view.setInt16(254, NIFTI_XFORM_SCANNER_ANAT, true); // sform_code
  [quaternion[0], quaternion[1], quaternion[2], ras[3]!, ras[7]!, ras[11]!].forEach((q, i) => view.setFloat32(256 + 4 * i, q, true));
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, ras[r * 4 + c]!, true);
  bytes.set(new TextEncoder().encode('n+1\0'), 344);
  return bytes;
}

/**
 * The qform quaternion (b, c, d) and qfac of an affine's rotation, as nifti_mat44_to_quatern computes them: the
 * columns are normalised and, when they form a left-handed frame, the third is negated with qfac = −1.
 */
function quaternionOf(ras: Affine, spacing: readonly number[]): { quaternion: [number, number, number]; qfac: number } {
  const m = [0, 1, 2].map((r) => [0, 1, 2].map((c) => ras[r * 4 + c]! / spacing[c]!));
  const det = m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!)
    - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!)
    + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) for (let r = 0; r < 3; r++) m[r]![2] = -m[r]![2]!;
  const [r11, r12, r13] = m[0] as [number, number, number];
  const [r21, r22, r23] = m[1] as [number, number, number];
  const [r31, r32, r33] = m[2] as [number, number, number];
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { quaternion: [b, c, d], qfac };
}
