import type { Point } from '../brush.js';
import type { MaskBox, MaskClick } from '../../contract/masks.js';
import type { Dirty, EditorTool, PointerModifiers, PointerOutcome, ToolContext } from './tool.js';

/** The clicks on a slice and the proposal the model answered them with, until it is accepted or discarded. */
export interface ClickSession {
  /** Tells sessions apart (a new one after an accept or a discard may have the same clicks). */
  id: number;
  sliceId: number;
  /** Oldest first, in the slice's pixels. */
  clicks: MaskClick[];
  /** The box dragged to start the session (the proposal stays inside it), or null for clicks alone. */
  box: MaskBox | null;
  /** The proposal for all of `clicks` (0/1, the slice's size), or null while it is on its way. */
  proposal: Uint8Array | null;
  /** How many clicks `proposal` answers (an answer to fewer clicks than there are is on screen until the next). */
  answered: number;
}

/** A drag shorter than this many image pixels on both axes is a click; longer, it draws a box. */
export const BOX_DRAG_MIN = 3;

/**
 * Click to segment (issue #29): `idle` → a press adds a click (positive, or negative with Shift or the right
 * button) and the tool is `pressing` until the release, then `proposing` until Enter accepts the proposal or Esc
 * discards it. A press dragged {@link BOX_DRAG_MIN} pixels or more becomes a box (`boxing`, the click taken back);
 * released, it starts a new session of that box (MedSAM-style: the proposal is asked inside it), which later
 * clicks refine. The tool changes no pixel itself: the UI asks the model for the proposal (`clicks:propose`) and
 * hands it back with {@link ClickTool.answer}; accepting it is one undo step and one mask version (operation
 * `click`, with the clicks and the box).
 */
export class ClickTool implements EditorTool {
  readonly id = 'click';
  session: ClickSession | null = null;
  /** The box while it is dragged (image pixels), else null. */
  dragBox: MaskBox | null = null;
  private sessions = 0;
  /** The press under way: where, and the session before it (null when the press started a new one). */
  private press: { x: number; y: number; before: ClickSession | null; clicked: boolean } | null = null;

  get state(): 'idle' | 'pressing' | 'boxing' | 'proposing' {
    if (this.dragBox) return 'boxing';
    if (this.press) return 'pressing';
    return this.session ? 'proposing' : 'idle';
  }

  down(ctx: ToolContext, p: Point, modifiers: PointerModifiers): PointerOutcome {
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    const { sliceId, width, height } = ctx.slice;
    if (x < 0 || y < 0 || x >= width || y >= height) return { handled: false, dirty: null, message: 'Click inside the image.' };
    const before = this.session?.sliceId === sliceId ? this.session : null;
    this.session = before ?? this.newSession(sliceId, null);
    this.session.clicks.push({ x, y, positive: !modifiers.erase });
    this.press = { x, y, before, clicked: true };
    return { handled: true, dirty: null };
  }

  /** A drag far enough from the press turns it into a box: the click it added is taken back. */
  move(ctx: ToolContext, p: Point): Dirty {
    const press = this.press;
    if (!press) return null;
    const { width, height } = ctx.slice;
    const x = Math.min(width - 1, Math.max(0, Math.floor(p.x)));
    const y = Math.min(height - 1, Math.max(0, Math.floor(p.y)));
    if (!this.dragBox && Math.abs(x - press.x) < BOX_DRAG_MIN && Math.abs(y - press.y) < BOX_DRAG_MIN) return null;
    if (press.clicked) {
      // Taken back: the session as it was before the press (its answer to the extra click is then dropped).
      if (press.before) press.before.clicks.pop();
      this.session = press.before;
      press.clicked = false;
    }
    this.dragBox = { x: Math.min(x, press.x), y: Math.min(y, press.y), width: Math.abs(x - press.x) + 1, height: Math.abs(y - press.y) + 1 };
    return null;
  }

  /** The release: a click stays; a box becomes a new session of its own. */
  up(ctx: ToolContext): Dirty {
    const box = this.dragBox;
    this.press = null;
    this.dragBox = null;
    if (box) this.session = this.newSession(ctx.slice.sliceId, box);
    return null;
  }

  /** The model's proposal for the first `clickCount` clicks; an answer to an older set of clicks than shown is dropped. */
  answer(sliceId: number, clickCount: number, proposal: Uint8Array): boolean {
    const session = this.session;
    if (session?.sliceId !== sliceId || clickCount > session.clicks.length || clickCount < session.answered) return false;
    session.proposal = proposal;
    session.answered = clickCount;
    return true;
  }

  /** Another tool, another slice or an undo: the proposal is dropped (nothing was changed). */
  cancel(): Dirty {
    this.session = null;
    this.press = null;
    this.dragBox = null;
    return null;
  }

  private newSession(sliceId: number, box: MaskBox | null): ClickSession {
    return { id: ++this.sessions, sliceId, clicks: [], box, proposal: null, answered: 0 };
  }
}
