// The workstation works on axial slices shown in radiological convention. A volume stored in any orientation
// (sagittal, coronal, oblique, flipped) is brought to that layout by permuting and flipping its voxel axes: the
// voxels themselves are never interpolated, so the mapping is exact both ways and a mask drawn on the axial slices
// goes back to the acquisition grid voxel for voxel (NIfTI and DICOM-SEG export rely on it). An oblique volume is
// laid out along its closest patient axes, as nibabel's as_closest_canonical does; its true affine is kept.
import { multiply, type Affine } from './affine.js';
import { checkVolume, type Volume } from './volume.js';

/** Which source voxel axis feeds one axis of the axial grid, and whether it runs backwards. */
export interface AxisMap {
  sourceAxis: 0 | 1 | 2;
  flipped: boolean;
}

/**
 * The axial layout of a volume: x (columns) runs toward the patient's left, so the patient's right is on the
 * image's left; y (rows) runs toward posterior, so anterior is at the top; z (slices) runs toward the head.
 */
export interface AxialGrid {
  dims: [number, number, number];
  /** Axial voxel (x, y, z) → patient LPS mm. */
  affine: number[];
  /** For x, y and z: the source axis and direction they come from. */
  axes: [AxisMap, AxisMap, AxisMap];
  sourceDims: [number, number, number];
}

/** Assigns each patient axis (L, P, S) the voxel axis most aligned with it, each voxel axis used once. */
export function axialGridOf(volume: Pick<Volume, 'dims' | 'affine'>): AxialGrid {
  const a = volume.affine;
  // weight[w][s]: how much voxel axis s moves along patient axis w, relative to its length.
  const lengths = [0, 1, 2].map((s) => Math.hypot(a[s]!, a[4 + s]!, a[8 + s]!));
  const taken = { world: new Set<number>(), source: new Set<number>() };
  const assignment: (AxisMap | undefined)[] = [undefined, undefined, undefined];
  for (let round = 0; round < 3; round++) {
    let best = { w: -1, s: -1, weight: -1 };
    for (let w = 0; w < 3; w++) {
      if (taken.world.has(w)) continue;
      for (let s = 0; s < 3; s++) {
        if (taken.source.has(s)) continue;
        const weight = Math.abs(a[w * 4 + s]!) / lengths[s]!;
        if (weight > best.weight) best = { w, s, weight };
      }
    }
    taken.world.add(best.w);
    taken.source.add(best.s);
    assignment[best.w] = { sourceAxis: best.s as 0 | 1 | 2, flipped: a[best.w * 4 + best.s]! < 0 };
  }
  const axes = assignment as [AxisMap, AxisMap, AxisMap];
  const sourceDims = [...volume.dims] as [number, number, number];
  const dims = axes.map((m) => sourceDims[m.sourceAxis]) as [number, number, number];
  // axial index → source index, as an affine: source[s] = flipped ? n−1−t : t.
  const toSource = new Array<number>(16).fill(0);
  toSource[15] = 1;
  axes.forEach((m, t) => {
    toSource[m.sourceAxis * 4 + t] = m.flipped ? -1 : 1;
    toSource[m.sourceAxis * 4 + 3] = m.flipped ? sourceDims[m.sourceAxis] - 1 : 0;
  });
  return { dims, affine: multiply(volume.affine, toSource), axes, sourceDims };
}

/** Linear-index arithmetic from the axial grid into the source array: index = base + x·sx + y·sy + z·sz. */
export interface SourceStrides {
  base: number;
  x: number;
  y: number;
  z: number;
}

export function sourceStrides(grid: AxialGrid): SourceStrides {
  const [n0, n1] = grid.sourceDims;
  const strideOf = [1, n0, n0 * n1];
  let base = 0;
  const step = grid.axes.map((m) => {
    const stride = strideOf[m.sourceAxis]!;
    if (m.flipped) base += (grid.sourceDims[m.sourceAxis] - 1) * stride;
    return m.flipped ? -stride : stride;
  });
  return { base, x: step[0]!, y: step[1]!, z: step[2]! };
}

/** One axial slice's stored values (not yet scaled), row-major, from a volume laid out by `grid`. */
export function axialSlice(volume: Volume, grid: AxialGrid, z: number): Float32Array {
  const [nx, ny] = grid.dims;
  const s = sourceStrides(grid);
  const out = new Float32Array(nx * ny);
  const start = s.base + z * s.z;
  for (let y = 0; y < ny; y++) {
    let index = start + y * s.y;
    const row = y * nx;
    for (let x = 0; x < nx; x++, index += s.x) out[row + x] = volume.data[index]!;
  }
  return out;
}

/** One axial slice's stored values mapped through a lookup table (`table.values[stored − table.offset]`). */
export function axialSliceThrough(volume: Volume, grid: AxialGrid, z: number, table: { values: Uint8Array; offset: number }): Uint8Array {
  const [nx, ny] = grid.dims;
  const s = sourceStrides(grid);
  const out = new Uint8Array(nx * ny);
  const start = s.base + z * s.z;
  const { values, offset } = table;
  const data = volume.data;
  for (let y = 0; y < ny; y++) {
    let index = start + y * s.y;
    const row = y * nx;
    for (let x = 0; x < nx; x++, index += s.x) out[row + x] = values[data[index]! - offset]!;
  }
  return out;
}

/** Puts axial slices (one byte per pixel, z order) back onto the source grid: the exact inverse of the layout. */
export function toSourceGrid(grid: AxialGrid, slices: readonly Uint8Array[]): Uint8Array {
  const [nx, ny, nz] = grid.dims;
  if (slices.length !== nz) throw new Error(`expected ${nz} slices, got ${slices.length}`);
  const s = sourceStrides(grid);
  const out = new Uint8Array(grid.sourceDims[0] * grid.sourceDims[1] * grid.sourceDims[2]);
  for (let z = 0; z < nz; z++) {
    const slice = slices[z]!;
    if (slice.length !== nx * ny) throw new Error(`slice ${z + 1} holds ${slice.length} pixels, not ${nx}×${ny}`);
    const start = s.base + z * s.z;
    for (let y = 0; y < ny; y++) {
      let index = start + y * s.y;
      for (let x = 0; x < nx; x++, index += s.x) out[index] = slice[y * nx + x]!;
    }
  }
  return out;
}

/** Checks a volume and lays it out axially (the grid every other sequence is resampled onto). */
export function axialGridOfChecked(volume: Volume): AxialGrid {
  checkVolume(volume);
  return axialGridOf(volume);
}

/** The patient direction each edge of an axial slice faces, from the grid's own affine (radiological view). */
export interface EdgeLetters {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

const POSITIVE = ['L', 'P', 'S'];
const NEGATIVE = ['R', 'A', 'I'];

/** The letter of the patient direction a vector points to most (LPS components). */
function letterOf(v: readonly number[]): string {
  let axis = 0;
  for (let w = 1; w < 3; w++) if (Math.abs(v[w]!) > Math.abs(v[axis]!)) axis = w;
  return (v[axis]! >= 0 ? POSITIVE : NEGATIVE)[axis]!;
}

export function edgeLetters(affine: Affine): EdgeLetters {
  const column = (c: number) => [affine[c]!, affine[4 + c]!, affine[8 + c]!];
  const xAxis = column(0);
  const yAxis = column(1);
  return {
    right: letterOf(xAxis),
    left: letterOf(xAxis.map((v) => -v)),
    bottom: letterOf(yAxis),
    top: letterOf(yAxis.map((v) => -v)),
  };
}
