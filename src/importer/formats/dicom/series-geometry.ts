// Puts a series' images in order and in the patient, as dcm2niix does: slices are ordered by their position
// projected on the slice normal (never by file name or InstanceNumber, which scanners and PACS renumber), the
// affine comes from the orientation, pixel spacing, first position and slice step, and everything that would make
// the volume wrong (mixed sizes, mixed orientations, two images at one place) is refused with its reason. A missing
// slice is only a warning: the volume is still usable, but the user should know.
import type { FrameGeometry } from './enhanced-frames.js';

/** One image of a series: which object (and frame) it is, and where it sits. */
export interface SliceRef {
  file: string;
  sopClassUid: string;
  sopInstanceUid: string;
  rows: number;
  columns: number;
  frame: FrameGeometry;
}

export interface SeriesGeometry {
  /** The images in the volume's k order. */
  slices: SliceRef[];
  rows: number;
  columns: number;
  /** Voxel (i = column, j = row, k = slice) → LPS mm, row-major 4×4. */
  affine: number[];
  warnings: string[];
}

type Vec3 = [number, number, number];

const ORIENTATION_TOLERANCE = 1e-3;
const SPACING_TOLERANCE = 1e-3;
// Positions closer than this along the normal are the same place (mm).
const SAME_POSITION = 0.01;
const GAP_FACTOR = 1.5;

const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const fmt = (v: number) => String(Math.round(v * 1000) / 1000);
const fmtList = (values: readonly number[]) => `[${values.map(fmt).join(', ')}]`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Orders a series' images and computes its affine, or returns why that cannot be done. */
export function seriesGeometryOf(images: readonly SliceRef[]): SeriesGeometry | { problem: string } {
  // The same object twice (a copy in another folder, a DICOMDIR export beside the originals): read it once.
  const seen = new Set<string>();
  const unique = images.filter((s) => {
    const key = `${s.sopInstanceUid}#${s.frame.frameNumber ?? 0}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const first = unique[0];
  if (!first) return { problem: 'has no images' };

  const sizes = new Map<string, number>();
  for (const s of unique) sizes.set(`${s.columns}×${s.rows}`, (sizes.get(`${s.columns}×${s.rows}`) ?? 0) + 1);
  if (sizes.size > 1) {
    const list = [...sizes].map(([size, n]) => `${size} (${n} images)`).join(', ');
    return { problem: `its images have different sizes (Columns×Rows ${list}), so they do not form one volume` };
  }

  for (const s of unique) {
    if (!s.frame.orientation) return { problem: `ImageOrientationPatient is missing (${s.file})` };
    if (!s.frame.position) return { problem: `ImagePositionPatient is missing (${s.file})` };
    if (!s.frame.pixelSpacing) return { problem: `PixelSpacing is missing (${s.file})` };
  }
  const orientation = first.frame.orientation!;
  const spacing = first.frame.pixelSpacing!;
  for (const s of unique) {
    if (s.frame.orientation!.some((v, i) => Math.abs(v - orientation[i]!) > ORIENTATION_TOLERANCE)) {
      return { problem: `its images have different orientations (ImageOrientationPatient ${fmtList(orientation)} and ${fmtList(s.frame.orientation!)})` };
    }
    if (s.frame.pixelSpacing!.some((v, i) => Math.abs(v - spacing[i]!) > SPACING_TOLERANCE)) {
      return { problem: `its images have different pixel spacings (PixelSpacing ${fmtList(spacing)} and ${fmtList(s.frame.pixelSpacing!)})` };
    }
  }
  const rowDirection = orientation.slice(0, 3) as Vec3; // along a row: the direction of increasing column
  const columnDirection = orientation.slice(3, 6) as Vec3; // down a column: the direction of increasing row
  const normal = cross(rowDirection, columnDirection);
  if (Math.hypot(...normal) < 0.5) return { problem: `ImageOrientationPatient ${fmtList(orientation)} is not two perpendicular directions` };

  const placed = unique
    .map((slice) => ({ slice, along: dot(slice.frame.position!, normal) }))
    .sort((a, b) => a.along - b.along);
  for (let k = 1; k < placed.length; k++) {
    if (placed[k]!.along - placed[k - 1]!.along < SAME_POSITION) {
      const a = placed[k - 1]!.slice;
      const b = placed[k]!.slice;
      return {
        problem: `two different images lie at one position (${fmt(placed[k]!.along)} mm along the slice normal): ` +
          `${describe(a)} and ${describe(b)}; the series may hold several echoes or time points`,
      };
    }
  }

  const warnings: string[] = [];
  let step: Vec3;
  if (placed.length > 1) {
    const steps = placed.slice(1).map((p, k) => p.along - placed[k]!.along);
    const usual = median(steps);
    steps.forEach((gap, k) => {
      if (gap > GAP_FACTOR * usual) {
        warnings.push(
          `missing slice: a gap of ${fmt(gap)} mm between the slices at ${fmt(placed[k]!.along)} mm and ` +
            `${fmt(placed[k + 1]!.along)} mm along the slice normal (the usual step is ${fmt(usual)} mm)`,
        );
      }
    });
    // The step vector of a usual pair (not across a gap): it also carries a gantry tilt, if any.
    const k = steps.findIndex((gap) => gap === usual);
    const from = placed[k]!.slice.frame.position!;
    const to = placed[k + 1]!.slice.frame.position!;
    step = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  } else {
    const thickness = first.frame.sliceThickness ?? 1;
    step = normal.map((v) => v * thickness) as Vec3;
  }
  const origin = placed[0]!.slice.frame.position!;
  const [rowSpacing, columnSpacing] = spacing;
  const affine = [
    rowDirection[0] * columnSpacing, columnDirection[0] * rowSpacing, step[0], origin[0],
    rowDirection[1] * columnSpacing, columnDirection[1] * rowSpacing, step[1], origin[1],
    rowDirection[2] * columnSpacing, columnDirection[2] * rowSpacing, step[2], origin[2],
    0, 0, 0, 1,
  ];
  return { slices: placed.map((p) => p.slice), rows: first.rows, columns: first.columns, affine, warnings };
}

function describe(slice: SliceRef): string {
  return slice.frame.frameNumber === null ? slice.file : `${slice.file} frame ${slice.frame.frameNumber}`;
}

/**
 * An enhanced object may hold several stacks (three planes, several slabs): the largest is used. Frames are
 * grouped by StackID, or by orientation when the object gives none.
 */
export function largestStack(frames: readonly SliceRef[]): { frames: SliceRef[]; warning: string | null } {
  const stacks = new Map<string, SliceRef[]>();
  for (const f of frames) {
    const key = f.frame.stackId ?? `orientation ${(f.frame.orientation ?? []).map((v) => v.toFixed(2)).join('\\')}`;
    const list = stacks.get(key) ?? [];
    list.push(f);
    stacks.set(key, list);
  }
  if (stacks.size <= 1) return { frames: [...frames], warning: null };
  const [key, largest] = [...stacks].sort((a, b) => b[1].length - a[1].length)[0]!;
  const sizes = [...stacks].map(([k, list]) => `${k.startsWith('orientation') ? k : `stack ${k}`}: ${list.length} frames`).join(', ');
  return {
    frames: largest,
    warning: `${frames[0]!.file} holds ${stacks.size} stacks (${sizes}); the largest (${key.startsWith('orientation') ? key : `stack ${key}`}) is used`,
  };
}
