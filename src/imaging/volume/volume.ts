// A 3-D image as the scanner formats hand it over: raw stored values on a voxel grid, the linear map from stored
// values to the source's units, and where each voxel sits in the patient. Readers (NIfTI, DICOM) produce these;
// reslicing, resampling and the 8-bit slices the model reads are computed from them.
import type { Affine } from './affine.js';

export type { Affine };

/** The typed arrays a reader may hand over without converting (memory: a 512×512×400 int16 series is 200 MB). */
export type VoxelData =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface Volume {
  /** Voxels along the volume's axes i (fastest in `data`), j and k. */
  dims: readonly [number, number, number];
  /** Stored values, i fastest, then j, then k: `data[i + j·dims[0] + k·dims[0]·dims[1]]`. */
  data: VoxelData;
  /** Source units = stored · slope + intercept (NIfTI scl_slope/scl_inter, DICOM RescaleSlope/Intercept). */
  slope: number;
  intercept: number;
  /**
   * Voxel index (i, j, k) → patient coordinates in millimetres, in DICOM's LPS convention (x toward the patient's
   * left, y toward posterior, z toward head). Row-major 4×4. NIfTI's RAS affines are converted on reading.
   */
  affine: Affine;
}

export function voxelCount(dims: readonly [number, number, number]): number {
  return dims[0] * dims[1] * dims[2];
}

/** The value of one voxel in source units. */
export function realValue(volume: Volume, index: number): number {
  return volume.data[index]! * volume.slope + volume.intercept;
}

/** A volume's voxel sizes in mm along i, j and k (the lengths of the affine's columns). */
export function voxelSpacing(affine: Affine): [number, number, number] {
  const column = (c: number) => Math.hypot(affine[c]!, affine[4 + c]!, affine[8 + c]!);
  return [column(0), column(1), column(2)];
}

/** Why a volume cannot be used, in words a user can act on (thrown by readers and by geometry checks). */
export class VolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeError';
  }
}

/** Refuses a volume whose header and data disagree, or whose geometry cannot place it in the patient. */
export function checkVolume(volume: Volume): void {
  const [n0, n1, n2] = volume.dims;
  for (const n of volume.dims) {
    if (!Number.isInteger(n) || n < 1) throw new VolumeError(`volume dimensions ${volume.dims.join('×')} are not positive whole numbers`);
  }
  if (volume.data.length !== n0 * n1 * n2) {
    throw new VolumeError(`volume holds ${volume.data.length} voxels but its dimensions ${volume.dims.join('×')} need ${n0 * n1 * n2}`);
  }
  if (!Number.isFinite(volume.slope) || !Number.isFinite(volume.intercept) || volume.slope === 0) {
    throw new VolumeError(`intensity scaling (slope ${volume.slope}, intercept ${volume.intercept}) is not usable`);
  }
  if (volume.affine.length !== 16 || volume.affine.some((v) => !Number.isFinite(v))) {
    throw new VolumeError('the volume\'s orientation (affine) holds a value that is not a number');
  }
  const spacing = voxelSpacing(volume.affine);
  if (spacing.some((s) => s < 1e-6)) throw new VolumeError('the volume\'s orientation (affine) is singular: a voxel size is 0');
  const a = volume.affine;
  const det = a[0]! * (a[5]! * a[10]! - a[6]! * a[9]!) - a[1]! * (a[4]! * a[10]! - a[6]! * a[8]!) + a[2]! * (a[4]! * a[9]! - a[5]! * a[8]!);
  if (Math.abs(det) < 1e-9 * spacing[0] * spacing[1] * spacing[2]) {
    throw new VolumeError('the volume\'s orientation (affine) is singular: two of its axes point the same way');
  }
}
