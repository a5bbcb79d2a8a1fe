import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EditOperation, MaskVersion, RendererApi } from '../../../src/api/contract.js';
import { acceptPredictionDisc, forEachStrokeCentre, intensityFilter, paintSegment, rangeAround, type IntensityRange, type PixelFilter, type Point } from '../../../src/editing/brush.js';
import { MaskHistory } from '../../../src/editing/history.js';
import { fillEnclosedRegion, fillHoles, fillPolygon, replaceMask } from '../../../src/editing/region.js';
import { thresholdProbabilities } from '../../../src/editing/overlays.js';
import { SaveQueue, type SaveQueueState } from './save-queue.js';
import type { SliceData } from './use-slice-data.js';

export type Tool = 'navigate' | 'brush' | 'eraser' | 'threshold' | 'prediction-brush' | 'fill' | 'lasso';

/** The operation each stroke tool saves as. */
const STROKE_OPERATION: Partial<Record<Tool, EditOperation>> = {
  brush: 'brush', eraser: 'erase', threshold: 'threshold-brush', 'prediction-brush': 'prediction-brush',
};

/** The FLAIR channel: the threshold brush reads lesion brightness there. */
const FLAIR = 1;

export interface MaskEditor {
  tool: Tool;
  setTool(tool: Tool): void;
  radius: number;
  setRadius(radius: number): void;
  range: IntensityRange | null;
  /** Sets the threshold brush's window by hand (null: take it from the pixel under the cursor again). */
  setRange(range: IntensityRange | null): void;
  /** The working mask of the current slice (what is drawn), and a counter that changes with it. */
  mask: Uint8Array | null;
  tick: number;
  canUndo: boolean;
  canRedo: boolean;
  saveState: SaveQueueState;
  /** Pointer-driven tools. Return false when the current tool does not take strokes. */
  strokeStart(p: Point): boolean;
  strokeMove(p: Point): void;
  strokeEnd(): void;
  clickAt(p: Point): string | null;
  lasso(points: Point[], erase: boolean): void;
  acceptPrediction(): string | null;
  clearSlice(): void;
  fillHoles(): void;
  /** Replaces the whole mask as one undo step: a copied neighbour ('copy') or a reverted version ('revert'). */
  setWhole(next: Uint8Array, operation: 'copy' | 'revert'): void;
  undo(): void;
  redo(): void;
  flush(): Promise<void>;
}

/**
 * Mask editing for the viewer: per-slice working masks, undo/redo, and the save queue. Every completed
 * operation is one undo step and one saved version (source `manual`).
 */
export function useMaskEditor(api: RendererApi, data: SliceData | null, threshold: number, onSaved: (sliceId: number, version: MaskVersion) => void): MaskEditor {
  const working = useRef(new Map<number, Uint8Array<ArrayBuffer>>());
  const histories = useRef(new Map<number, MaskHistory>());
  const stroke = useRef<{ last: Point; value: 0 | 1; filter?: PixelFilter; changed: boolean } | null>(null);
  const [tool, setTool] = useState<Tool>('navigate');
  const [radius, setRadius] = useState(4);
  const [range, setRangeState] = useState<IntensityRange | null>(null);
  const [rangeLocked, setRangeLocked] = useState(false);
  const [tick, setTick] = useState(0);
  const [saveState, setSaveState] = useState<SaveQueueState>({ pending: 0, saving: false, error: null });
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const queue = useMemo(() => new SaveQueue(
    (m) => api.request('masks:save', m),
    setSaveState,
    // Send as soon as a stroke ends: a crash then loses at most the stroke in progress.
    0,
    (sliceId, version) => onSavedRef.current(sliceId, version as MaskVersion),
  ), [api]);

  const sliceId = data?.sliceId ?? null;
  const width = data?.mask.width ?? 0;
  const height = data?.mask.height ?? 0;
  if (data && !working.current.has(data.sliceId)) working.current.set(data.sliceId, data.mask.data.slice());
  const mask = sliceId !== null ? working.current.get(sliceId) ?? null : null;
  const history = useCallback(() => {
    let h = histories.current.get(sliceId!);
    if (!h) histories.current.set(sliceId!, (h = new MaskHistory()));
    return h;
  }, [sliceId]);

  // Leaving a slice sends its pending edits at once rather than after the debounce.
  useEffect(() => () => void queue.flush().catch(() => undefined), [sliceId, queue]);

  const commit = useCallback((operation: EditOperation, acceptedModelId?: number) => {
    if (!mask || sliceId === null) return;
    queue.enqueue({ sliceId, width, height, data: mask, operation, ...(acceptedModelId !== undefined && { acceptedModelId }) });
    setTick((t) => t + 1);
  }, [mask, sliceId, width, height, queue]);

  /** Runs a whole-mask operation as one undo step; returns the number of pixels it changed. */
  const operate = useCallback((name: EditOperation, operation: (m: Uint8Array) => number, acceptedModelId?: number): number => {
    if (!mask) return 0;
    const before = mask.slice();
    const changed = operation(mask);
    if (changed > 0) {
      history().record(before);
      commit(name, acceptedModelId);
    }
    return changed;
  }, [mask, history, commit]);

  const strokeMove = useCallback((p: Point) => {
    const s = stroke.current;
    if (!s || !mask || !data) return;
    if (tool === 'prediction-brush' && data.prediction) {
      const probabilities = data.prediction.data;
      forEachStrokeCentre(s.last, p, radius, (c) => {
        if (acceptPredictionDisc(mask, width, height, probabilities, threshold, c, radius) > 0) s.changed = true;
      });
    } else if (paintSegment(mask, width, height, s.last, p, radius, s.value, s.filter)) s.changed = true;
    s.last = p;
  }, [mask, data, tool, radius, width, height, threshold]);

  const strokeStart = useCallback((p: Point): boolean => {
    if (!mask || !data) return false;
    let value: 0 | 1 = 1;
    let filter: PixelFilter | undefined;
    if (tool === 'eraser') value = 0;
    else if (tool === 'threshold') {
      const x = Math.floor(p.x);
      const y = Math.floor(p.y);
      const { image } = data;
      // Each stroke takes its window from the pixel under the cursor, unless the user set the window by hand.
      const start = rangeLocked && range ? range : rangeAround(image.data[(y * image.width + x) * image.channels + Math.min(FLAIR, image.channels - 1)] ?? 0);
      setRangeState(start);
      filter = intensityFilter(image, FLAIR, start);
    } else if (tool !== 'brush' && tool !== 'prediction-brush') return false;
    if (tool === 'prediction-brush' && !data.prediction) return false;
    history().record(mask);
    stroke.current = { last: p, value, ...(filter && { filter }), changed: false };
    strokeMove(p);
    return true;
  }, [mask, data, tool, range, rangeLocked, history, strokeMove]);

  /** Undo or redo: puts the history's mask back in place and saves it as a new version. */
  const restore = (name: 'undo' | 'redo', step: (history: MaskHistory, current: Uint8Array) => Uint8Array | null) => {
    const pixels = mask && step(history(), mask);
    if (!pixels) return;
    mask!.set(pixels);
    commit(name);
  };

  const strokeEnd = useCallback(() => {
    const s = stroke.current;
    stroke.current = null;
    if (!s) return;
    if (s.changed) commit(STROKE_OPERATION[tool] ?? 'brush');
    else history().undo(mask!); // nothing changed: drop the step recorded at the start
  }, [commit, history, mask, tool]);

  return {
    tool, setTool, radius, setRadius: (r) => setRadius(Math.max(0.5, Math.min(64, r))), range,
    setRange: (next) => {
      setRangeLocked(next !== null);
      if (next) setRangeState(next);
    },
    mask, tick, saveState,
    canUndo: sliceId !== null && (histories.current.get(sliceId)?.canUndo ?? false),
    canRedo: sliceId !== null && (histories.current.get(sliceId)?.canRedo ?? false),
    strokeStart, strokeMove, strokeEnd,
    clickAt: (p) => {
      if (tool !== 'fill' || !mask) return null;
      let open = false;
      operate('fill', (m) => {
        const filled = fillEnclosedRegion(m, width, height, Math.floor(p.x), Math.floor(p.y));
        open = filled === null;
        return filled ?? 0;
      });
      return open ? 'That region is not closed: it reaches the image edge.' : null;
    },
    lasso: (points, erase) => void operate(erase ? 'lasso-erase' : 'lasso', (m) => fillPolygon(m, width, height, points, erase ? 0 : 1)),
    acceptPrediction: () => {
      if (!data?.prediction) return 'There is no prediction for this slice yet.';
      operate('accept', (m) => replaceMask(m, thresholdProbabilities(data.prediction!.data, threshold)), data.prediction.modelId);
      return null;
    },
    clearSlice: () => void operate('clear', (m) => replaceMask(m, new Uint8Array(m.length))),
    fillHoles: () => void operate('fill-holes', (m) => fillHoles(m, width, height)),
    setWhole: (next, name) => void operate(name, (m) => replaceMask(m, next)),
    undo: () => restore('undo', (h, m) => h.undo(m)),
    redo: () => restore('redo', (h, m) => h.redo(m)),
    flush: () => queue.flush(),
  };
}
