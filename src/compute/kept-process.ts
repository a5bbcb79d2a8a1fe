// One compute process kept up between requests (the warm predictor, the click engine): its launch, the tail of its
// stderr for crash reports, the requests waiting on it (failed with the reason when it dies), and the idle timer
// that stops it when nobody has asked anything for a while.
import { currentComputeLauncher, COMPUTE_ENTRY, type ComputeChild, type ComputeLauncher } from './host.js';
import type { ComputeMessage, HostMessage } from './protocol.js';

/** What a kept process needs of each request waiting on it: a way to fail it. */
export interface WaitingRequest {
  reject(error: Error): void;
}

/** How much of the process's stderr is kept for the reason it died (its last lines go in the error). */
const STDERR_TAIL_CHARS = 4000;

export interface KeptProcessOptions {
  /** How errors name the process: "the predictor", "the click engine". */
  name: string;
  /** Stops the process after this long without a request. */
  idleMs: number;
  launch?: () => ComputeLauncher;
  /** The process's messages (the owner matches them to its waiting requests with {@link KeptProcess.take}). */
  onMessage(message: ComputeMessage): void;
}

/**
 * A compute process started on demand and kept running: {@link ensure} starts it (with the message that tells it
 * what to become) unless it runs; requests are registered under a job id and taken back when answered. If the
 * process exits or fails, every waiting request fails with the reason and the last lines of its stderr, and the
 * next {@link ensure} starts a new one.
 */
export class KeptProcess<Waiting extends WaitingRequest> {
  private child: ComputeChild | null = null;
  private stderr = '';
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: KeptProcessOptions) {}

  /** Whether a process is running now. */
  get running(): boolean {
    return this.child?.running ?? false;
  }

  /** How many requests wait for an answer. */
  get pending(): number {
    return this.waiting.size;
  }

  /** The running process, or a new one that was just sent `hello` (what it is to become). */
  ensure(hello: HostMessage): ComputeChild {
    if (this.child?.running) return this.child;
    const child = (this.options.launch ?? currentComputeLauncher)()(COMPUTE_ENTRY);
    this.child = child;
    this.stderr = '';
    child.onStderr((chunk) => (this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS)));
    child.onMessage((message) => this.options.onMessage(message));
    const died = (reason: string) => {
      // A process already replaced (closed, restarted) has nothing of the current one's to fail.
      if (this.child !== child) return;
      this.child = null;
      const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
      this.failAll(new Error(`${this.options.name} stopped (${reason})${tail ? `: ${tail}` : ''}`));
    };
    child.onExit((code, signal) => died(signal ?? `exit code ${code}`));
    child.onError((error) => died(error.message));
    child.send(hello);
    return child;
  }

  /** Registers a request and returns its job id (the id the process answers with). */
  add(waiting: Waiting): number {
    const jobId = this.nextId++;
    this.waiting.set(jobId, waiting);
    return jobId;
  }

  /** The request waiting under this id, if any (it stays registered). */
  get(jobId: number): Waiting | undefined {
    return this.waiting.get(jobId);
  }

  /** The request waiting under this id, no longer waiting. */
  take(jobId: number): Waiting | undefined {
    const waiting = this.waiting.get(jobId);
    this.waiting.delete(jobId);
    return waiting;
  }

  /** Fails every waiting request with this error. */
  failAll(error: Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiting of all) waiting.reject(error);
  }

  /** (Re)starts the idle countdown: the process is stopped {@link KeptProcessOptions.idleMs} from now. */
  armIdle(): void {
    this.disarmIdle();
    this.idleTimer = setTimeout(() => this.close(), this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Stops the idle countdown (work is under way). */
  disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  send(message: HostMessage): void {
    this.child?.send(message);
  }

  /** Stops the process; requests still waiting fail. */
  close(): void {
    this.disarmIdle();
    const child = this.child;
    this.child = null;
    child?.kill();
    this.failAll(new Error(`${this.options.name} was closed`));
  }
}
