import type { MaskBox, MaskClick } from '../contract/masks.js';
import type { EditOperation } from './operations.js';
import { replaceMask } from './region.js';
import type { ClickTool } from './tools/click-tool.js';

/** What a mask version records of how it was made, beyond its operation. */
export interface EditProvenance {
  /** The model whose prediction became the mask (operation "accept"). */
  acceptedModelId?: number;
  /** The clicks a click proposal was made from. */
  clicks?: MaskClick[];
  /** The box the click proposal was asked inside. */
  box?: MaskBox;
}

/** What the click proposal's accept and discard need of the editor. */
export interface ClickEditsHost {
  /** The slice on screen (null: none). */
  shownSliceId(): number | null;
  /** Runs a whole-mask operation on the shown slice as one undo step, saved with its provenance. */
  operate(operation: EditOperation, change: (mask: Uint8Array) => number, provenance?: EditProvenance): number;
  /** The editor's state changed (listeners are told). */
  changed(): void;
}

/**
 * Click to segment in the editor (issue #29): the click tool collects the clicks, the UI hands back the model's
 * proposal, and this makes it the slice's mask (one undo step, one `click` version with its clicks) or drops it.
 */
export class ClickEdits {
  constructor(
    private readonly tool: ClickTool,
    private readonly host: ClickEditsHost,
  ) {}

  /**
   * The model's proposal for the first `clickCount` clicks of a slice (stale answers are dropped, and with
   * `sessionId` an answer to a session since accepted or discarded).
   */
  answer(sliceId: number, clickCount: number, proposal: Uint8Array, sessionId?: number): void {
    if (sessionId !== undefined && this.tool.session?.id !== sessionId) return;
    if (this.tool.answer(sliceId, clickCount, proposal)) this.host.changed();
  }

  /** Makes the proposal on screen the slice's mask; a message if there is none to accept. */
  accept(): string | null {
    const session = this.tool.session;
    if (!session || session.sliceId !== this.host.shownSliceId()) return 'There is no click proposal to accept: click on the image with the click tool (K).';
    if (!session.proposal || session.answered < session.clicks.length) return 'The proposal for the last click is still on its way.';
    const { proposal, clicks, box } = session;
    this.tool.session = null;
    this.host.operate('click', (m) => replaceMask(m, proposal), { clicks, ...(box && { box }) });
    this.host.changed();
    return null;
  }

  /** Drops the proposal (nothing is stored); false when there was none. */
  discard(): boolean {
    if (!this.tool.session) return false;
    this.tool.session = null;
    this.host.changed();
    return true;
  }
}
