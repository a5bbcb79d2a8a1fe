import type { EditOperation } from '../operations.js';
import type { DirtyRect, IntensityRange, Point } from '../brush.js';
import type { ToolId } from '../../contract/tools.js';

/** Every tool the editor has (named in the contract, whose command table lists them). */
export type { ToolId } from '../../contract/tools.js';

/** The slice being edited, as the editor needs it: its stored mask, its pixels and the model's prediction. */
export interface EditorSlice {
  sliceId: number;
  width: number;
  height: number;
  /** The stored (current) mask, one byte per pixel, 0/1. The editor works on a copy. */
  mask: Uint8Array;
  /** Which stored version that mask is (null: the slice has none yet). */
  versionId: number | null;
  /** The slice's 8-bit pixels, `channels` interleaved (the threshold brush reads FLAIR there). */
  image: { data: Uint8Array; channels: number };
  /** The active model's 8-bit probabilities, or null when it has not predicted this slice. */
  prediction: { modelId: number; data: Uint8Array } | null;
}

/** What may need redrawing after a pointer event: a rectangle, the whole mask, or nothing. */
export type Dirty = DirtyRect | 'all' | null;

/** The answer to a pointer press: whether the tool took it, what changed, and a message for the user. */
export interface PointerOutcome {
  /** False when the tool does not take pointer input here (the viewer may pan instead). */
  handled: boolean;
  dirty: Dirty;
  message?: string;
}

/** Keys held with a pointer press. */
export interface PointerModifiers {
  /** Shift or Alt: the lasso erases its outline's inside instead of filling it. */
  erase: boolean;
}

/** What a tool may read and do: the working mask of the current slice and the editor's settings. */
export interface ToolContext {
  readonly slice: EditorSlice;
  readonly mask: Uint8Array;
  readonly radius: number;
  /** Probability threshold in (0, 1) for the prediction brush. */
  readonly threshold: number;
  /** The threshold brush's window if the user set it by hand, else null (taken from the pixel pressed). */
  readonly lockedRange: IntensityRange | null;
  /** Shows the window a threshold stroke uses. */
  showRange(range: IntensityRange): void;
  /** Records the mask as it is now as one undo step (before a change). */
  beginStep(): void;
  /** Forgets the step begun last (an operation that changed nothing). */
  dropStep(): void;
  /** Saves the mask as a new version made by `operation`. */
  commit(operation: EditOperation): void;
  /** Runs a whole-mask operation as one undo step and saves it if it changed a pixel; returns the pixels changed. */
  operate(operation: EditOperation, change: (mask: Uint8Array) => number): number;
}

/**
 * A tool as a small state machine over pointer events in image coordinates (as tldraw models its tools): it
 * starts `idle`; a press may move it to a working state (`stroking`, `drawing`) until the release. Tools hold
 * no pixels of their own: they change the context's mask, which the viewer draws.
 */
export interface EditorTool {
  readonly id: ToolId;
  /** The state it is in: `idle`, or what a press started. */
  readonly state: string;
  down(ctx: ToolContext, p: Point, modifiers: PointerModifiers): PointerOutcome;
  move(ctx: ToolContext, p: Point): Dirty;
  up(ctx: ToolContext): Dirty;
  /** The pointer left the image mid-gesture: finish what can be finished, drop the rest. */
  cancel(ctx: ToolContext): Dirty;
}

/** A tool that takes no pointer input: navigate (the viewer pans with it). */
export const navigateTool: EditorTool = {
  id: 'navigate',
  state: 'idle',
  down: () => ({ handled: false, dirty: null }),
  move: () => null,
  up: () => null,
  cancel: () => null,
};
