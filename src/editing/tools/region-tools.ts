import type { Point } from '../brush.js';
import { fillEnclosedRegion, fillPolygon } from '../region.js';
import type { Dirty, EditorTool, PointerModifiers, PointerOutcome, ToolContext } from './tool.js';

/** Fill: a click inside a closed outline fills it (one step). It has no working state. */
export const fillTool: EditorTool = {
  id: 'fill',
  state: 'idle',
  down(ctx: ToolContext, p: Point): PointerOutcome {
    let open = false as boolean; // set inside the callback
    const changed = ctx.operate('fill', (mask) => {
      const filled = fillEnclosedRegion(mask, ctx.slice.width, ctx.slice.height, Math.floor(p.x), Math.floor(p.y));
      open = filled === null;
      return filled ?? 0;
    });
    return { handled: true, dirty: changed > 0 ? 'all' : null, ...(open && { message: 'That region is not closed: it reaches the image edge.' }) };
  },
  move: () => null,
  up: () => null,
  cancel: () => null,
};

/** Lasso: `idle` → press → `drawing` (collecting the outline) → release fills (or with Shift erases) its inside. */
export class LassoTool implements EditorTool {
  readonly id = 'lasso';
  state: 'idle' | 'drawing' = 'idle';
  /** The outline drawn so far, in image pixels. */
  points: Point[] = [];
  private erase = false;

  down(_ctx: ToolContext, p: Point, modifiers: PointerModifiers): PointerOutcome {
    this.state = 'drawing';
    this.points = [p];
    this.erase = modifiers.erase;
    return { handled: true, dirty: null };
  }

  move(_ctx: ToolContext, p: Point): Dirty {
    if (this.state === 'drawing') this.points.push(p);
    return null;
  }

  up(ctx: ToolContext): Dirty {
    if (this.state !== 'drawing') return null;
    const points = this.points;
    this.cancel();
    const changed = ctx.operate(this.erase ? 'lasso-erase' : 'lasso', (mask) => fillPolygon(mask, ctx.slice.width, ctx.slice.height, points, this.erase ? 0 : 1));
    return changed > 0 ? 'all' : null;
  }

  /** An outline left unfinished changes nothing. */
  cancel(): Dirty {
    this.state = 'idle';
    this.points = [];
    return null;
  }
}
