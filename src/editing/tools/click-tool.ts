import type { Point } from '../brush.js';
import type { MaskClick } from '../../contract/masks.js';
import type { Dirty, EditorTool, PointerModifiers, PointerOutcome, ToolContext } from './tool.js';

/** The clicks on a slice and the proposal the model answered them with, until it is accepted or discarded. */
export interface ClickSession {
  /** Tells sessions apart (a new one after an accept or a discard may have the same clicks). */
  id: number;
  sliceId: number;
  /** Oldest first, in the slice's pixels. */
  clicks: MaskClick[];
  /** The proposal for all of `clicks` (0/1, the slice's size), or null while it is on its way. */
  proposal: Uint8Array | null;
  /** How many clicks `proposal` answers (an answer to fewer clicks than there are is on screen until the next). */
  answered: number;
}

/**
 * Click to segment (issue #29): `idle` → a press adds a click (positive, or negative with Shift or the right
 * button) and the tool is `proposing` until Enter accepts the proposal or Esc discards it. The tool changes no
 * pixel itself: the UI asks the model for the proposal of the clicks (`clicks:propose`) and hands it back with
 * {@link ClickTool.answer}; accepting it is one undo step and one mask version (operation `click`, with the clicks).
 */
export class ClickTool implements EditorTool {
  readonly id = 'click';
  session: ClickSession | null = null;
  private sessions = 0;

  get state(): 'idle' | 'proposing' {
    return this.session ? 'proposing' : 'idle';
  }

  down(ctx: ToolContext, p: Point, modifiers: PointerModifiers): PointerOutcome {
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    const { sliceId, width, height } = ctx.slice;
    if (x < 0 || y < 0 || x >= width || y >= height) return { handled: false, dirty: null, message: 'Click inside the image.' };
    if (this.session?.sliceId !== sliceId) this.session = { id: ++this.sessions, sliceId, clicks: [], proposal: null, answered: 0 };
    this.session.clicks.push({ x, y, positive: !modifiers.erase });
    return { handled: true, dirty: null };
  }

  /** The model's proposal for the first `clickCount` clicks; an answer to an older set of clicks than shown is dropped. */
  answer(sliceId: number, clickCount: number, proposal: Uint8Array): boolean {
    const session = this.session;
    if (session?.sliceId !== sliceId || clickCount > session.clicks.length || clickCount < session.answered) return false;
    session.proposal = proposal;
    session.answered = clickCount;
    return true;
  }

  move = (): Dirty => null;
  up = (): Dirty => null;

  /** Another tool, another slice or an undo: the proposal is dropped (nothing was changed). */
  cancel(): Dirty {
    this.session = null;
    return null;
  }
}
