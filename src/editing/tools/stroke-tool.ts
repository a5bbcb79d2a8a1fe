import type { EditOperation } from '../operations.js';
import { acceptPredictionDisc, forEachStrokeCentre, intensityFilter, paintSegment, rangeAround, unionRect, type DirtyRect, type PixelFilter, type Point } from '../brush.js';
import type { Dirty, EditorTool, PointerOutcome, ToolContext } from './tool.js';

/** The FLAIR channel: the threshold brush reads lesion brightness there. */
const FLAIR = 1;

type StrokeKind = 'brush' | 'eraser' | 'threshold' | 'prediction-brush';

/** The operation each stroke tool saves as. */
const OPERATION: Record<StrokeKind, EditOperation> = {
  brush: 'brush', eraser: 'erase', threshold: 'threshold-brush', 'prediction-brush': 'prediction-brush',
};

/** The rectangle around a disc at `p`, clipped to the image. */
function discRect(ctx: ToolContext, p: Point): DirtyRect {
  const r = Math.ceil(ctx.radius) + 1;
  return {
    x0: Math.max(0, Math.floor(p.x) - r), y0: Math.max(0, Math.floor(p.y) - r),
    x1: Math.min(ctx.slice.width - 1, Math.ceil(p.x) + r), y1: Math.min(ctx.slice.height - 1, Math.ceil(p.y) + r),
  };
}

/**
 * Brush, eraser, threshold brush and prediction brush: `idle` → press → `stroking` → release → `idle`. A stroke
 * is one undo step and one saved version; a stroke that changed no pixel leaves neither.
 */
export class StrokeTool implements EditorTool {
  state: 'idle' | 'stroking' = 'idle';
  private last: Point = { x: 0, y: 0 };
  private filter: PixelFilter | undefined;
  private changed = false;

  constructor(readonly id: StrokeKind) {}

  down(ctx: ToolContext, p: Point): PointerOutcome {
    if (this.id === 'prediction-brush' && !ctx.slice.prediction) {
      return { handled: false, dirty: null, message: 'There is no prediction for this slice yet.' };
    }
    this.filter = this.id === 'threshold' ? this.thresholdFilter(ctx, p) : undefined;
    ctx.beginStep();
    this.state = 'stroking';
    this.changed = false;
    this.last = p;
    return { handled: true, dirty: this.move(ctx, p) };
  }

  move(ctx: ToolContext, p: Point): Dirty {
    if (this.state !== 'stroking') return null;
    const from = this.last;
    this.last = p;
    const prediction = ctx.slice.prediction;
    if (this.id === 'prediction-brush' && prediction) {
      let dirty: DirtyRect | null = null;
      forEachStrokeCentre(from, p, ctx.radius, (c) => {
        if (acceptPredictionDisc(ctx.mask, ctx.slice.width, ctx.slice.height, prediction.data, ctx.threshold, c, ctx.radius) > 0) dirty = unionRect(dirty, discRect(ctx, c));
      });
      if (dirty) this.changed = true;
      return dirty;
    }
    const dirty = paintSegment(ctx.mask, ctx.slice.width, ctx.slice.height, from, p, ctx.radius, this.id === 'eraser' ? 0 : 1, this.filter);
    if (dirty) this.changed = true;
    return dirty;
  }

  up(ctx: ToolContext): Dirty {
    if (this.state !== 'stroking') return null;
    this.state = 'idle';
    if (this.changed) ctx.commit(OPERATION[this.id]);
    else ctx.dropStep();
    return null;
  }

  cancel(ctx: ToolContext): Dirty {
    return this.up(ctx); // what was painted stays: the pointer only left the image
  }

  /** Each stroke takes its window from the pixel pressed, unless the user set the window by hand. */
  private thresholdFilter(ctx: ToolContext, p: Point): PixelFilter {
    const { image, width } = ctx.slice;
    const at = (Math.floor(p.y) * width + Math.floor(p.x)) * image.channels + Math.min(FLAIR, image.channels - 1);
    const range = ctx.lockedRange ?? rangeAround(image.data[at] ?? 0);
    ctx.showRange(range);
    return intensityFilter(image, FLAIR, range);
  }
}
