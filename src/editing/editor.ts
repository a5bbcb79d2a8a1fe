import type { MaskBox } from '../contract/masks.js';
import type { EditOperation } from './operations.js';
import type { IntensityRange, Point } from './brush.js';
import { ClickEdits, type EditProvenance } from './click-edits.js';
import type { MaskHistory } from './history.js';
import type { KeptHistory } from './kept-history.js';
import { thresholdProbabilities } from './overlays.js';
import { fillHoles, replaceMask } from './region.js';
import { setSlices, undoSlices, type PropagatedSliceMask } from './propagation-edits.js';
import { SaveQueue, type PendingMask, type SaveQueueState } from './save-queue.js';
import { StrokeTool } from './tools/stroke-tool.js';
import { ClickTool, type ClickSession } from './tools/click-tool.js';
import { LassoTool, fillTool } from './tools/region-tools.js';
import { navigateTool, type Dirty, type EditorSlice, type EditorTool, type PointerModifiers, type PointerOutcome, type ToolContext, type ToolId } from './tools/tool.js';
import { WorkingMasks } from './working-masks.js';

export type { Dirty, EditorSlice, PointerOutcome, ToolId } from './tools/tool.js';

/** What the UI shows of the editor; a new object whenever any of it changes (for React's useSyncExternalStore). */
export interface EditorState {
  tool: ToolId;
  /** `tool.state`, e.g. `brush.stroking`: where the current tool's state machine is. */
  path: string;
  radius: number;
  /** The threshold brush's window: set by hand, or shown from the last stroke; null before either. */
  range: IntensityRange | null;
  /** Changes whenever the working mask's pixels change through a completed operation. */
  revision: number;
  canUndo: boolean;
  canRedo: boolean;
  saveState: SaveQueueState;
  /** The click tool's clicks and proposal on the shown slice, until accepted or discarded (null: none). */
  clicks: ClickSession | null;
  /** The click tool's box while it is dragged (image pixels), else null. */
  clickDrag: MaskBox | null;
}

/** How the editor saves: one mask version per call, and what it does with the answer. */
export interface EditorOptions<Saved> {
  /** Saves one mask; `baseVersionId` is the stored version its edits started from (see {@link versionOf}). */
  save(mask: PendingMask & { baseVersionId: number | null }): Promise<Saved>;
  onSaved?(sliceId: number, saved: Saved): void;
  /** The stored version a save became, so the next save of the slice names it as its base. */
  versionOf?(saved: Saved): number;
  /** Milliseconds between the end of an operation and its save (0: at once; a crash loses at most a stroke). */
  saveDelayMs?: number;
}

const MIN_RADIUS = 0.5;
const MAX_RADIUS = 64;

/**
 * The headless mask editor: per-slice working masks, per-slice undo/redo, the tools' state machines and the
 * save queue, with no React and no canvas. The viewer feeds it pointer events in image coordinates and draws
 * what it reports dirty; every completed operation is one undo step and one saved mask version.
 */
export class Editor<Saved = unknown> {
  /** Probability threshold in (0, 1) for accepting the prediction and the prediction brush. */
  threshold = 0.5;
  private readonly working = new WorkingMasks();
  private readonly tools: Record<ToolId, EditorTool>;
  private readonly clickEdits: ClickEdits;
  private readonly queue: SaveQueue;
  private readonly listeners = new Set<() => void>();
  private current: EditorSlice | null = null;
  private toolId: ToolId = 'navigate';
  private radius = 4;
  private range: IntensityRange | null = null;
  private rangeLocked = false;
  private revision = 0;
  private saveState: SaveQueueState = { pending: 0, saving: false, error: null };
  private snapshot: EditorState;

  constructor(options: EditorOptions<Saved>) {
    this.tools = {
      navigate: navigateTool, fill: fillTool, lasso: new LassoTool(),
      click: new ClickTool(),
      brush: new StrokeTool('brush'), eraser: new StrokeTool('eraser'), threshold: new StrokeTool('threshold'), 'prediction-brush': new StrokeTool('prediction-brush'),
    };
    this.queue = new SaveQueue(
      (mask) => options.save({ ...mask, baseVersionId: this.working.baseVersion(mask.sliceId) }),
      (state) => {
        this.saveState = state;
        this.changed();
      },
      options.saveDelayMs ?? 0,
      (sliceId, saved) => {
        if (options.versionOf) this.working.setBaseVersion(sliceId, options.versionOf(saved as Saved));
        options.onSaved?.(sliceId, saved as Saved);
      },
    );
    this.clickEdits = new ClickEdits(this.clickTool, {
      shownSliceId: () => this.sliceId,
      operate: (operation, change, provenance) => this.operate(operation, change, provenance),
      changed: () => this.changed(),
    });
    this.snapshot = this.makeSnapshot();
  }

  // ---- what is edited ----

  /**
   * Shows another slice (or none). Its working mask starts as the stored one and then lives here until the page
   * closes, so coming back to a slice keeps its unsaved strokes and its undo history. Leaving a slice sends its
   * pending saves at once. Does not notify: it is called while rendering.
   */
  setSlice(slice: EditorSlice | null): void {
    if (slice === this.current) return;
    const leaving = this.current !== null && this.current.sliceId !== slice?.sliceId;
    if (leaving) this.cancelGesture();
    this.current = slice;
    if (slice) this.working.take(slice);
    if (leaving) void this.queue.flush().catch(() => undefined);
    this.snapshot = this.makeSnapshot();
  }

  get sliceId(): number | null {
    return this.current?.sliceId ?? null;
  }

  /** The working mask of the current slice (what is drawn), changed in place by the tools. */
  get mask(): Uint8Array | null {
    return this.current ? this.working.mask(this.current.sliceId) ?? null : null;
  }

  // ---- settings ----

  setTool(tool: ToolId): void {
    if (tool === this.toolId) return;
    this.cancelGesture();
    this.toolId = tool;
    this.changed();
  }

  setRadius(radius: number): void {
    this.radius = Math.max(MIN_RADIUS, Math.min(MAX_RADIUS, radius));
    this.changed();
  }

  /** One step of `[` / `]`: half pixels below 4, whole pixels above. */
  growRadius(direction: -1 | 1): void {
    this.setRadius(this.radius + direction * (direction < 0 ? (this.radius > 4 ? 1 : 0.5) : (this.radius >= 4 ? 1 : 0.5)));
  }

  /** Sets the threshold brush's window by hand (null: take it from the pixel pressed again). */
  setRange(range: IntensityRange | null): void {
    this.rangeLocked = range !== null;
    if (range) this.range = range;
    this.changed();
  }

  // ---- pointer input (image coordinates) ----

  pointerDown(p: Point, modifiers: PointerModifiers = { erase: false }): PointerOutcome {
    const ctx = this.context();
    if (!ctx) return { handled: false, dirty: null };
    const outcome = this.tool.down(ctx, p, modifiers);
    this.changed();
    return outcome;
  }

  /** A pointer move while pressed: what it painted (no notification: a stroke redraws per event, React need not). */
  pointerMove(p: Point): Dirty {
    const ctx = this.context();
    if (!ctx) return null;
    const dirty = this.tool.move(ctx, p);
    if (this.tool === this.clickTool && this.clickTool.dragBox) this.changed(); // the box being dragged is drawn
    return dirty;
  }

  pointerUp(): Dirty {
    const ctx = this.context();
    if (!ctx) return null;
    const dirty = this.tool.up(ctx);
    this.changed();
    return dirty;
  }

  /** The pointer left the image: a stroke ends (and is kept), an unfinished lasso is dropped. */
  pointerLeave(): Dirty {
    const ctx = this.context();
    if (!ctx) return null;
    const dirty = this.tool.cancel(ctx);
    this.changed();
    return dirty;
  }

  /** The lasso's outline while it is drawn (image pixels), else empty. */
  get lassoOutline(): readonly Point[] {
    return this.tools.lasso instanceof LassoTool ? this.tools.lasso.points : [];
  }

  // ---- whole-slice operations (each one undo step) ----

  /** Replaces the mask with the thresholded prediction; returns a message when there is none. */
  acceptPrediction(): string | null {
    const prediction = this.current?.prediction;
    if (!prediction) return 'There is no prediction for this slice yet.';
    this.operate('accept', (m) => replaceMask(m, thresholdProbabilities(prediction.data, this.threshold)), { acceptedModelId: prediction.modelId });
    return null;
  }

  clearSlice(): void {
    this.operate('clear', (m) => replaceMask(m, new Uint8Array(m.length)));
  }

  fillHoles(): void {
    const slice = this.current;
    if (slice) this.operate('fill-holes', (m) => fillHoles(m, slice.width, slice.height));
  }

  /** Replaces the whole mask: a copied neighbour ('copy') or a reverted version ('revert'). */
  setWhole(next: Uint8Array, operation: 'copy' | 'revert'): void {
    this.operate(operation, (m) => replaceMask(m, next));
  }

  // ---- click to segment (click-edits.ts, propagation-edits.ts) ----

  /** Hands the click tool the model's proposal for the first `clickCount` clicks of a slice (stale answers are dropped). */
  answerClicks(sliceId: number, clickCount: number, proposal: Uint8Array, sessionId?: number): void {
    this.clickEdits.answer(sliceId, clickCount, proposal, sessionId);
  }

  /** Makes the click proposal on screen the slice's mask (one undo step, saved with its clicks); a message if there is none. */
  acceptClicks(): string | null {
    return this.clickEdits.accept();
  }

  /** Drops the click proposal (nothing is stored); false when there was none. */
  discardClicks(): boolean {
    return this.clickEdits.discard();
  }

  /**
   * Sets several slices' masks as one operation (propagation): each slice gets an undo step and a saved version
   * made by `operation`. `stored` gives a slice's stored mask and version for a slice this page has not shown yet.
   * {@link undoSlices} undoes them together.
   */
  setSlices(operation: 'propagate', masks: readonly PropagatedSliceMask[], clicks?: PendingMask['clicks']): number[] {
    const changed = setSlices(this.working, this.queue, operation, masks, clicks);
    if (changed.length) {
      this.revision++;
      this.changed();
    }
    return changed;
  }

  /** Undoes the last step of each of these slices (what one {@link setSlices} did), saving each as an undo. */
  undoSlices(sliceIds: readonly number[]): void {
    this.cancelGesture();
    undoSlices(this.working, this.queue, sliceIds);
    this.revision++;
    this.changed();
  }

  undo(): void {
    this.restore('undo', (history, mask) => history.undo(mask));
  }

  redo(): void {
    this.restore('redo', (history, mask) => history.redo(mask));
  }

  /** Sends every queued save now; resolves when all are saved. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /**
   * Someone else saved this slice: lets go of its working mask and undo history, so it is taken afresh from the
   * store the next time it is shown — unless this page has a stroke under way or a save not yet through there,
   * which then saves on top (nothing is lost; the save answers with the other version). Returns whether it let go.
   */
  forgetSlice(sliceId: number): boolean {
    if (!this.working.has(sliceId)) return true;
    // A stroke under way or a save not yet through is this page's work: it saves on top of theirs.
    if (this.hasWorkUnderWay(sliceId)) return false;
    this.working.forget(sliceId);
    this.changed();
    return true;
  }

  // ---- the undo history across a reload ----

  /** Histories an earlier page kept ({@link keptHistories}): each slice takes its own up when first loaded, if unchanged since. */
  restoreHistories(kept: readonly KeptHistory[]): void {
    this.working.restoreHistories(kept);
  }

  /** Every slice's undo history as plain data, to keep across a reload; a slice's as of its last finished save. */
  keptHistories(): KeptHistory[] {
    return this.working.keptHistories((sliceId) => !this.hasWorkUnderWay(sliceId));
  }

  // ---- observing ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): EditorState => this.snapshot;

  // ---- internals ----

  private get tool(): EditorTool {
    return this.tools[this.toolId];
  }

  /** A stroke under way on the slice, or a save of it not yet through. */
  private hasWorkUnderWay(sliceId: number): boolean {
    return this.queue.holds(sliceId) || (this.current?.sliceId === sliceId && this.tool.state !== 'idle');
  }

  private history(sliceId: number): MaskHistory {
    return this.working.history(sliceId);
  }

  private context(): ToolContext | null {
    const slice = this.current;
    const mask = this.mask;
    if (!slice || !mask) return null;
    return {
      slice, mask, radius: this.radius, threshold: this.threshold,
      lockedRange: this.rangeLocked ? this.range : null,
      showRange: (range) => (this.range = range),
      beginStep: () => this.history(slice.sliceId).record(mask),
      dropStep: () => void this.history(slice.sliceId).undo(mask),
      commit: (operation) => this.commit(operation),
      operate: (operation, change) => this.operate(operation, change),
    };
  }

  private get clickTool(): ClickTool {
    return this.tools.click as ClickTool;
  }

  private operate(operation: EditOperation, change: (mask: Uint8Array) => number, provenance: EditProvenance = {}): number {
    const mask = this.mask;
    if (!mask || !this.current) return 0;
    const before = mask.slice();
    const changed = change(mask);
    if (changed > 0) {
      this.history(this.current.sliceId).record(before);
      this.commit(operation, provenance);
    }
    return changed;
  }

  private restore(operation: 'undo' | 'redo', step: (history: MaskHistory, mask: Uint8Array) => Uint8Array | null): void {
    const mask = this.mask;
    if (!mask || !this.current) return;
    this.cancelGesture();
    const pixels = step(this.history(this.current.sliceId), mask);
    if (!pixels) return;
    mask.set(pixels);
    this.commit(operation);
  }

  private commit(operation: EditOperation, { acceptedModelId, clicks, box }: EditProvenance = {}): void {
    const slice = this.current;
    const mask = this.mask as Uint8Array<ArrayBuffer> | null;
    if (!slice || !mask) return;
    this.queue.enqueue({
      sliceId: slice.sliceId, width: slice.width, height: slice.height, data: mask, operation,
      ...(acceptedModelId !== undefined && { acceptedModelId }), ...(clicks && { clicks }), ...(box && { box }),
    });
    this.revision++;
    this.changed();
  }

  /** Ends a gesture in progress (tool switch, undo, another slice). */
  private cancelGesture(): void {
    const ctx = this.context();
    if (ctx && this.tool.state !== 'idle') this.tool.cancel(ctx);
  }

  private makeSnapshot(): EditorState {
    const history = this.current ? this.working.existingHistory(this.current.sliceId) : undefined;
    return {
      tool: this.toolId, path: `${this.toolId}.${this.tool.state}`, radius: this.radius, range: this.range, revision: this.revision,
      canUndo: history?.canUndo ?? false, canRedo: history?.canRedo ?? false, saveState: this.saveState,
      clicks: this.clickTool.session && { ...this.clickTool.session, clicks: [...this.clickTool.session.clicks] },
      clickDrag: this.clickTool.dragBox,
    };
  }

  private changed(): void {
    this.snapshot = this.makeSnapshot();
    for (const listener of this.listeners) listener();
  }
}
