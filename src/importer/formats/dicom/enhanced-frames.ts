// Enhanced (multi-frame) MR objects keep each frame's geometry and rescale in functional groups: the shared group
// holds what all frames have in common, the per-frame group what differs. A frame's value is its per-frame one if
// present, else the shared one.
import type { DataSet } from './parse-dicom.js';

/** Where one frame (or a classic single-frame image) sits and how its values scale. */
export interface FrameGeometry {
  /** 1-based, for frames of a multi-frame object; else null. */
  frameNumber: number | null;
  position: [number, number, number] | null;
  orientation: number[] | null;
  /** [row spacing (between rows), column spacing (between columns)] in mm */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  slope: number;
  intercept: number;
  /** FrameContentSequence StackID and InStackPositionNumber, when the object says. */
  stackId: string | null;
  inStackPosition: number | null;
}

const SHARED_GROUPS = 'x52009229';
const PER_FRAME_GROUPS = 'x52009230';

function firstItem(ds: DataSet | undefined, sequence: string): DataSet | undefined {
  return ds?.elements[sequence]?.items?.[0]?.dataSet;
}

function numbers(ds: DataSet | undefined, tag: string): number[] | null {
  const value = ds?.string(tag);
  if (!value) return null;
  const parts = value.split('\\').map((p) => Number(p.trim()));
  return parts.every((n) => Number.isFinite(n)) ? parts : null;
}

export interface EnhancedFrames {
  /** One per frame, or null for a classic image. */
  frames: FrameGeometry[] | null;
  /** Reads a value from a functional group: the shared group's, else the first frame's (for classification). */
  firstInGroups: <T>(sequence: string, read: (item: DataSet) => T | null) => T | null;
}

export function enhancedFramesOf(ds: DataSet, numberOfFrames: number): EnhancedFrames {
  const shared = firstItem(ds, SHARED_GROUPS);
  const perFrame = ds.elements[PER_FRAME_GROUPS]?.items ?? [];
  const firstInGroups = <T>(sequence: string, read: (item: DataSet) => T | null): T | null => {
    for (const group of [shared, perFrame[0]?.dataSet]) {
      const item = firstItem(group, sequence);
      const value = item ? read(item) : null;
      if (value !== null && value !== undefined) return value;
    }
    return null;
  };
  if (!shared && perFrame.length === 0) return { frames: null, firstInGroups };

  const frames: FrameGeometry[] = [];
  for (let f = 0; f < numberOfFrames; f++) {
    const own = perFrame[f]?.dataSet;
    // The frame's own group first, then the shared one.
    const item = (sequence: string): DataSet | undefined => firstItem(own, sequence) ?? firstItem(shared, sequence);
    const position = numbers(item('x00209113'), 'x00200032');
    const orientation = numbers(item('x00209116'), 'x00200037');
    const measures = item('x00289110');
    const spacing = numbers(measures, 'x00280030');
    const transform = item('x00289145');
    const content = firstItem(own, 'x00209111');
    frames.push({
      frameNumber: f + 1,
      position: position?.length === 3 ? (position as [number, number, number]) : null,
      orientation: orientation?.length === 6 ? orientation : null,
      pixelSpacing: spacing?.length === 2 ? (spacing as [number, number]) : null,
      sliceThickness: numbers(measures, 'x00180050')?.[0] ?? numbers(measures, 'x00180088')?.[0] ?? null,
      slope: numbers(transform, 'x00281053')?.[0] ?? numbers(ds, 'x00281053')?.[0] ?? 1,
      intercept: numbers(transform, 'x00281052')?.[0] ?? numbers(ds, 'x00281052')?.[0] ?? 0,
      stackId: content?.string('x00209056')?.trim() || null,
      inStackPosition: content?.uint32('x00209057') ?? null,
    });
  }
  return { frames, firstInGroups };
}
