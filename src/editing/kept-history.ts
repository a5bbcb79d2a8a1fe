// The undo history, kept across a reload of the page. Each slice's undo and redo masks are stored as runs of equal
// bytes (a lesion mask is a few hundred numbers, not 64 KiB), beside the stored version and the pixels they lead
// to: a kept history is taken up again only by a slice whose stored mask is still exactly that, so an undo after a
// reload can never paste an old mask over someone else's save, another data folder's slice, or a lost save.

/** One slice's undo history as kept: plain JSON. */
export interface KeptHistory {
  sliceId: number;
  /** The stored version the slice's mask was at: the history is taken up only on that version… */
  versionId: number;
  /** …and only if the stored mask still has exactly these pixels (runs). */
  mask: number[];
  undo: number[][];
  redo: number[][];
}

// Masks in an undo stack never change (MaskHistory copies them), so each is encoded once.
const encoded = new WeakMap<Uint8Array, number[]>();

/** A mask as runs: value, count, value, count… */
export function maskRuns(mask: Uint8Array, cache = false): number[] {
  const known = cache ? encoded.get(mask) : undefined;
  if (known) return known;
  const runs: number[] = [];
  for (let i = 0; i < mask.length;) {
    const value = mask[i]!;
    let end = i + 1;
    while (end < mask.length && mask[end] === value) end++;
    runs.push(value, end - i);
    i = end;
  }
  if (cache) encoded.set(mask, runs);
  return runs;
}

/** The mask the runs describe, or null when they do not describe `length` pixels. */
export function maskFromRuns(runs: readonly number[], length: number): Uint8Array | null {
  const mask = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const value = runs[i]!;
    const count = runs[i + 1]!;
    if (!Number.isInteger(count) || count <= 0 || at + count > length || !Number.isInteger(value) || value < 0 || value > 255) return null;
    mask.fill(value, at, at + count);
    at += count;
  }
  return at === length && runs.length % 2 === 0 ? mask : null;
}

const isRuns = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');

/** Whether a value read back from storage is a list of kept histories (anything else is dropped). */
export function isKeptHistories(value: unknown): value is KeptHistory[] {
  return Array.isArray(value) && value.every((h: unknown) => {
    if (typeof h !== 'object' || h === null) return false;
    const k = h as Partial<KeptHistory>;
    return Number.isInteger(k.sliceId) && Number.isInteger(k.versionId) && isRuns(k.mask) &&
      Array.isArray(k.undo) && k.undo.every(isRuns) && Array.isArray(k.redo) && k.redo.every(isRuns);
  });
}

/** What the keeper needs to know of a slice with a history: its stored version and mask now, and whether it is settled. */
export interface SliceNow {
  versionId: number | null;
  mask: Uint8Array;
  /** False while a save of it is on its way or a stroke is under way: its last kept entry stands meanwhile. */
  settled: boolean;
}

/**
 * The editor's side of keeping histories: hands out the kept entries of slices not loaded yet (each taken up once,
 * when its slice is first loaded, if still valid) and writes the live histories as entries.
 */
export class HistoryKeeper {
  private waiting = new Map<number, KeptHistory>();
  private readonly last = new Map<number, KeptHistory>();

  /** Kept histories of an earlier page, to be taken up by their slices as they load. */
  restore(kept: readonly KeptHistory[]): void {
    this.waiting = new Map(kept.map((k) => [k.sliceId, k]));
  }

  /** The kept undo/redo masks of a slice loaded for the first time, if its stored mask is still the one they led to. */
  takeUp(sliceId: number, versionId: number | null, mask: Uint8Array): { undo: Uint8Array[]; redo: Uint8Array[] } | null {
    const kept = this.waiting.get(sliceId);
    if (!kept) return null;
    this.waiting.delete(sliceId);
    if (kept.versionId !== versionId) return null;
    const now = maskFromRuns(kept.mask, mask.length);
    if (!now || !now.every((v, i) => v === mask[i])) return null;
    const undo = kept.undo.map((runs) => maskFromRuns(runs, mask.length));
    const redo = kept.redo.map((runs) => maskFromRuns(runs, mask.length));
    if (undo.some((m) => !m) || redo.some((m) => !m)) return null;
    return { undo: undo as Uint8Array[], redo: redo as Uint8Array[] };
  }

  /** Every history worth keeping now: the live ones (a slice not settled keeps its last entry) and those not taken up yet. */
  keep(histories: ReadonlyMap<number, { steps: { undo: readonly Uint8Array[]; redo: readonly Uint8Array[] } }>, slice: (sliceId: number) => SliceNow | null): KeptHistory[] {
    const out: KeptHistory[] = [...this.waiting.values()].filter((k) => !histories.has(k.sliceId));
    for (const [sliceId, history] of histories) {
      const now = slice(sliceId);
      const { undo, redo } = history.steps;
      if (!now || (undo.length === 0 && redo.length === 0)) {
        this.last.delete(sliceId);
        continue;
      }
      if (now.settled && now.versionId !== null) {
        this.last.set(sliceId, {
          sliceId, versionId: now.versionId, mask: maskRuns(now.mask),
          undo: undo.map((m) => maskRuns(m, true)), redo: redo.map((m) => maskRuns(m, true)),
        });
      }
      const kept = this.last.get(sliceId);
      if (kept) out.push(kept);
    }
    return out;
  }

  /** The slice was saved by someone else: nothing of its history may come back. */
  forget(sliceId: number): void {
    this.waiting.delete(sliceId);
    this.last.delete(sliceId);
  }
}
