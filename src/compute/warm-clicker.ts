import type { BackendChoice } from '../ml/backends/select-backend.js';
import type { PropagatedSlice, RefineRequest } from '../ml/interactive/click-refiner.js';
import type { JobPatient } from '../ml/jobs.js';
import { currentComputeLauncher, COMPUTE_ENTRY, type ComputeChild, type ComputeLauncher } from './host.js';
import type { ComputeMessage } from './protocol.js';

/** The click engine is stopped after this long without a click (its model and threads hold memory). */
export const CLICKER_IDLE_MS = 10 * 60_000;

interface Waiting {
  resolve(message: Extract<ComputeMessage, { type: 'refined' | 'propagated' }>): void;
  reject(error: Error): void;
}

/**
 * The click engine as the host sees it: a compute process holding the interactive model (issue #29), started
 * ahead of the first click (`start`) so it is warm when the click comes. Requests made while it loads wait in
 * its queue; `loading` says whether it is still loading (the UI says so). A process that dies fails what
 * waits, with the reason, and the next request starts a new one.
 */
export class WarmClicker {
  private child: ComputeChild | null = null;
  private modelFile: string | null = null;
  private ready = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private idleTimer: NodeJS.Timeout | null = null;
  private stderr = '';

  constructor(
    private readonly backend: BackendChoice = 'auto',
    private readonly launch: () => ComputeLauncher = currentComputeLauncher,
    private readonly idleMs = CLICKER_IDLE_MS,
  ) {}

  /** Starts the engine with this model (a different model restarts it). */
  start(modelFile: string): void {
    if (this.child?.running && this.modelFile === modelFile) return;
    this.close();
    this.modelFile = modelFile;
    this.ready = false;
    const child = this.launch()(COMPUTE_ENTRY);
    this.child = child;
    this.stderr = '';
    child.onStderr((chunk) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    child.onMessage((message) => this.receive(message));
    const failAll = (reason: string) => {
      if (this.child !== child) return;
      this.child = null;
      const error = new Error(`the click engine stopped (${reason})${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      for (const [, waiting] of this.waiting) waiting.reject(error);
      this.waiting.clear();
    };
    child.onExit((code, signal) => failAll(signal ?? `exit code ${code}`));
    child.onError((error) => failAll(error.message));
    child.send({ type: 'clicker', backend: this.backend, modelFile });
    this.armIdle();
  }

  /** Whether the engine is still loading its backend and model (a request now waits for it). */
  get loading(): boolean {
    return !this.ready;
  }

  async refine(modelFile: string, request: RefineRequest): Promise<Uint8Array> {
    const answer = await this.ask(modelFile, (jobId) => ({ type: 'refine', jobId, request }));
    if (answer.type !== 'refined') throw new Error('the click engine answered out of turn');
    return answer.mask;
  }

  async propagate(modelFile: string, patient: JobPatient, sliceIndex: number, mask: Uint8Array): Promise<PropagatedSlice[]> {
    const answer = await this.ask(modelFile, (jobId) => ({ type: 'propagate', jobId, patient, sliceIndex, mask }));
    if (answer.type !== 'propagated') throw new Error('the click engine answered out of turn');
    return answer.slices;
  }

  /** Stops the process; requests still waiting fail. */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.child;
    this.child = null;
    child?.kill();
    for (const [, waiting] of this.waiting) waiting.reject(new Error('the click engine was closed'));
    this.waiting.clear();
  }

  private ask(
    modelFile: string,
    message: (jobId: number) => Extract<Parameters<ComputeChild['send']>[0], { type: 'refine' | 'propagate' }>,
  ): Promise<Extract<ComputeMessage, { type: 'refined' | 'propagated' }>> {
    this.start(modelFile);
    const child = this.child!;
    const jobId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(jobId, { resolve, reject });
      child.send(message(jobId));
      this.armIdle();
    });
  }

  private receive(message: ComputeMessage): void {
    if (message.type === 'clicker-ready') {
      this.ready = true;
      return;
    }
    if (message.type !== 'refined' && message.type !== 'propagated' && message.type !== 'error') return;
    if (message.jobId === undefined) {
      // The engine could not start (no backend, a bad model file): every request fails with that reason.
      for (const [, waiting] of this.waiting) waiting.reject(new Error(message.message));
      this.waiting.clear();
      return;
    }
    const waiting = this.waiting.get(message.jobId);
    if (!waiting) return;
    this.waiting.delete(message.jobId);
    if (message.type === 'error') waiting.reject(Object.assign(new Error(message.message), { code: message.code }));
    else waiting.resolve(message);
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}
