/**
 * Undo/redo for one slice's mask: whole-mask snapshots (64 KiB at 256², 256 KiB at 512²), bounded, so
 * 50+ steps per slice cost a few MiB at most. Each completed operation is one step.
 */
export class MaskHistory {
  private readonly undoStack: Uint8Array[] = [];
  private readonly redoStack: Uint8Array[] = [];

  constructor(private readonly limit = 100) {}

  /** Call before changing the mask, with its current pixels. A new edit clears what could be redone. */
  record(before: Uint8Array): void {
    this.undoStack.push(before.slice());
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  /** The mask to go back to, given the current one (which becomes redoable); null when there is nothing to undo. */
  undo(current: Uint8Array): Uint8Array | null {
    const previous = this.undoStack.pop();
    if (!previous) return null;
    this.redoStack.push(current.slice());
    return previous;
  }

  redo(current: Uint8Array): Uint8Array | null {
    const next = this.redoStack.pop();
    if (!next) return null;
    this.undoStack.push(current.slice());
    return next;
  }

  /** A history with these steps (oldest first), e.g. one kept across a reload. */
  static from(undo: readonly Uint8Array[], redo: readonly Uint8Array[], limit = 100): MaskHistory {
    const history = new MaskHistory(limit);
    history.undoStack.push(...undo.slice(-limit));
    history.redoStack.push(...redo.slice(-limit));
    return history;
  }

  /** The masks to go back to and forward to, oldest first (not copies: callers only read them). */
  get steps(): { undo: readonly Uint8Array[]; redo: readonly Uint8Array[] } {
    return { undo: this.undoStack, redo: this.redoStack };
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
}
