// Where the SEG's frames lie, from the source volume's voxel grid. The frame's columns run along the volume's i
// axis and its rows along j, so a SEG frame k covers the source slice k pixel for pixel.
import type { Affine } from '../../../imaging/volume/affine.js';
import { apply } from '../../../imaging/volume/affine.js';

export type Vector3 = [number, number, number];

export interface FrameGeometry {
  /** Unit row direction (along i: increasing column index), then unit column direction (along j). */
  orientation: [number, number, number, number, number, number];
  /** DICOM order: [distance between rows (the j step), distance between columns (the i step)], mm. */
  pixelSpacing: [number, number];
  /** The k step, mm: the source slices' spacing, used as the segmentation's slice thickness. */
  sliceSpacing: number;
  /** Image Position (Patient) of each frame: the centre of its first voxel, (0, 0, k), in LPS mm. */
  positions: Vector3[];
}

// DICOM requires the row and column directions to be perpendicular; a grid sheared more than this (0.06°) cannot
// be described by one Image Orientation (Patient).
const MAX_COSINE = 1e-3;

export function frameGeometry(dims: readonly [number, number, number], affine: Affine): FrameGeometry {
  if (affine.length !== 16 || affine.some((v) => !Number.isFinite(v))) throw new Error('the volume\'s affine is not a 4×4 matrix of numbers');
  const column = (c: number): Vector3 => [affine[c]!, affine[4 + c]!, affine[8 + c]!];
  const [iStep, jStep, kStep] = [column(0), column(1), column(2)].map(length);
  if (iStep! < 1e-6 || jStep! < 1e-6 || kStep! < 1e-6) throw new Error('the volume\'s affine is singular: a voxel size is 0');
  const row = unit(column(0));
  const col = unit(column(1));
  if (Math.abs(dot(row, col)) > MAX_COSINE) throw new Error('the volume\'s i and j axes are not perpendicular: a DICOM frame cannot lie on that grid');
  const positions: Vector3[] = [];
  for (let k = 0; k < dims[2]; k++) positions.push(apply(affine, [0, 0, k]));
  return { orientation: [...row, ...col], pixelSpacing: [jStep!, iStep!], sliceSpacing: kStep!, positions };
}

function length(v: Vector3): number {
  return Math.hypot(v[0], v[1], v[2]);
}

function unit(v: Vector3): Vector3 {
  const n = length(v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function dot(a: Vector3, b: Vector3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
