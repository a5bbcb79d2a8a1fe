import { MaskHistory } from './history.js';
import { HistoryKeeper, type KeptHistory } from './kept-history.js';

/** A slice as it is first taken into the editor: its stored mask and the stored version that mask is. */
export interface StoredSliceMask {
  sliceId: number;
  width: number;
  height: number;
  mask: Uint8Array;
  versionId: number | null;
}

/**
 * What the editor keeps per slice it has touched, until the page closes: the working mask (what is drawn and
 * saved), its undo history, the stored version its edits build on, and its size (a save needs it, and
 * propagation saves slices that are not on screen). Histories an earlier page kept come back to their slices here
 * as they are first taken (kept-history.ts).
 */
export class WorkingMasks {
  private readonly masks = new Map<number, Uint8Array<ArrayBuffer>>();
  private readonly histories = new Map<number, MaskHistory>();
  private readonly baseVersions = new Map<number, number | null>();
  private readonly sizes = new Map<number, { width: number; height: number }>();
  private readonly keeper = new HistoryKeeper();

  /** Takes a slice in: its working mask starts as a copy of the stored one (a slice already held keeps its own). */
  take(slice: StoredSliceMask): Uint8Array<ArrayBuffer> {
    let mask = this.masks.get(slice.sliceId);
    if (!mask) {
      mask = slice.mask.slice();
      this.masks.set(slice.sliceId, mask);
      this.baseVersions.set(slice.sliceId, slice.versionId);
      const kept = this.keeper.takeUp(slice.sliceId, slice.versionId, slice.mask);
      if (kept) this.histories.set(slice.sliceId, MaskHistory.from(kept.undo, kept.redo));
    }
    this.sizes.set(slice.sliceId, { width: slice.width, height: slice.height });
    return mask;
  }

  has(sliceId: number): boolean {
    return this.masks.has(sliceId);
  }

  mask(sliceId: number): Uint8Array<ArrayBuffer> | undefined {
    return this.masks.get(sliceId);
  }

  size(sliceId: number): { width: number; height: number } | undefined {
    return this.sizes.get(sliceId);
  }

  /** The slice's undo history (made on first use). */
  history(sliceId: number): MaskHistory {
    let history = this.histories.get(sliceId);
    if (!history) this.histories.set(sliceId, (history = new MaskHistory()));
    return history;
  }

  /** The history if the slice has one yet (reading state must not make one). */
  existingHistory(sliceId: number): MaskHistory | undefined {
    return this.histories.get(sliceId);
  }

  /** The stored version the slice's edits build on (null: it had none). */
  baseVersion(sliceId: number): number | null {
    return this.baseVersions.get(sliceId) ?? null;
  }

  setBaseVersion(sliceId: number, versionId: number): void {
    this.baseVersions.set(sliceId, versionId);
  }

  /** Lets go of a slice: the next time it is taken, it starts from the store again. */
  forget(sliceId: number): void {
    this.masks.delete(sliceId);
    this.histories.delete(sliceId);
    this.baseVersions.delete(sliceId);
    this.keeper.forget(sliceId);
  }

  /** Histories an earlier page kept: each slice takes its own up when first taken, if its stored mask is unchanged. */
  restoreHistories(kept: readonly KeptHistory[]): void {
    this.keeper.restore(kept);
  }

  /** Every slice's undo history as plain data, to keep across a reload; `settled` says a slice has no save or stroke under way. */
  keptHistories(settled: (sliceId: number) => boolean): KeptHistory[] {
    return this.keeper.keep(this.histories, (sliceId) => {
      const mask = this.masks.get(sliceId);
      return mask ? { versionId: this.baseVersions.get(sliceId) ?? null, mask, settled: settled(sliceId) } : null;
    });
  }
}
