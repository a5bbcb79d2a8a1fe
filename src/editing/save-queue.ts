import type { MaskBox, MaskClick } from '../contract/masks.js';
import type { EditOperation } from './operations.js';

/** One slice's mask waiting to be saved. */
export interface PendingMask {
  sliceId: number;
  width: number;
  height: number;
  data: Uint8Array<ArrayBuffer>;
  /** What made it; when edits are coalesced into one save, the last one's. */
  operation: EditOperation;
  acceptedModelId?: number;
  /** The clicks an accepted click proposal was made from (its provenance). */
  clicks?: MaskClick[];
  /** The box it was proposed inside, when one was dragged. */
  box?: MaskBox;
}

/** The first retry of a failed save waits at least this long, doubling up to 10 s, whatever the send delay. */
const FIRST_RETRY_MS = 250;

export interface SaveQueueState {
  pending: number;
  saving: boolean;
  error: string | null;
}

/**
 * Saves every completed stroke as a new mask version shortly after it ends, without the user asking. Edits to
 * the same slice made while a save is in flight are coalesced into the next save (each save holds the whole
 * mask, so the latest one wins). A failed save stays queued and is retried; nothing is dropped.
 */
export class SaveQueue {
  private readonly waiting = new Map<number, PendingMask>();
  private readonly sending = new Map<number, number>(); // slice id → saves in flight
  private timer: ReturnType<typeof setTimeout> | null = null;
  private error: string | null = null;
  private retryDelay: number;

  constructor(
    private readonly save: (mask: PendingMask) => Promise<unknown>,
    private readonly onState: (state: SaveQueueState) => void = () => undefined,
    private readonly delayMs = 250,
    private readonly onSaved: (sliceId: number, result: unknown) => void = () => undefined,
  ) {
    this.retryDelay = Math.max(delayMs, FIRST_RETRY_MS);
  }

  /** Queues the mask's current pixels (copied: the caller keeps editing its array). */
  enqueue(mask: PendingMask): void {
    this.waiting.set(mask.sliceId, { ...mask, data: mask.data.slice() });
    this.schedule(this.delayMs);
    this.report();
  }

  /** Sends everything queued now; resolves when all of it is saved (or rejects with the first failure). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.waiting.values()];
    this.waiting.clear();
    await Promise.all(batch.map((mask) => this.send(mask)));
    if (this.error) throw new Error(this.error);
  }

  get pending(): number {
    return this.waiting.size + this.inFlight();
  }

  /** Whether a save of this slice is queued or on its way. */
  holds(sliceId: number): boolean {
    return this.waiting.has(sliceId) || this.sending.has(sliceId);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), delay);
  }

  private inFlight(): number {
    let count = 0;
    for (const n of this.sending.values()) count += n;
    return count;
  }

  private async send(mask: PendingMask): Promise<void> {
    this.sending.set(mask.sliceId, (this.sending.get(mask.sliceId) ?? 0) + 1);
    this.report();
    try {
      const result = await this.save(mask);
      this.error = null;
      this.retryDelay = Math.max(this.delayMs, FIRST_RETRY_MS);
      this.onSaved(mask.sliceId, result);
    } catch (error) {
      // Keep it unless a newer edit of the same slice is already queued, and try again with backoff.
      if (!this.waiting.has(mask.sliceId)) this.waiting.set(mask.sliceId, mask);
      this.error = `could not save slice edits (will retry): ${error instanceof Error ? error.message : String(error)}`;
      this.retryDelay = Math.min(10_000, this.retryDelay * 2);
      this.schedule(this.retryDelay);
    } finally {
      const left = (this.sending.get(mask.sliceId) ?? 1) - 1;
      if (left > 0) this.sending.set(mask.sliceId, left);
      else this.sending.delete(mask.sliceId);
      this.report();
    }
  }

  private report(): void {
    this.onState({ pending: this.pending, saving: this.sending.size > 0, error: this.error });
  }
}
