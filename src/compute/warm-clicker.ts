import type { BackendChoice } from '../ml/backends/backend-choice.js';
import type { PropagatedSlice, RefineRequest } from '../ml/interactive/click-refiner.js';
import type { JobPatient } from '../ml/jobs.js';
import { currentComputeLauncher, type ComputeLauncher } from './host.js';
import { KeptProcess } from './kept-process.js';
import type { ComputeMessage, HostMessage } from './protocol.js';

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
  private readonly process: KeptProcess<Waiting>;
  private modelFile: string | null = null;
  private ready = false;

  constructor(
    private readonly backend: BackendChoice = 'auto',
    launch: () => ComputeLauncher = currentComputeLauncher,
    idleMs = CLICKER_IDLE_MS,
  ) {
    this.process = new KeptProcess<Waiting>({ name: 'the click engine', idleMs, launch, onMessage: (message) => this.receive(message) });
  }

  /** Starts the engine with this model (a different model restarts it). */
  start(modelFile: string): void {
    if (this.process.running && this.modelFile === modelFile) return;
    this.close();
    this.modelFile = modelFile;
    this.ready = false;
    this.process.ensure({ type: 'clicker', backend: this.backend, modelFile });
    this.process.armIdle();
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

  async propagate(modelFile: string, patient: JobPatient, sliceIndex: number, mask: Uint8Array, proposals: (Uint8Array | null)[]): Promise<PropagatedSlice[]> {
    const answer = await this.ask(modelFile, (jobId) => ({ type: 'propagate', jobId, patient, sliceIndex, mask, proposals }));
    if (answer.type !== 'propagated') throw new Error('the click engine answered out of turn');
    return answer.slices;
  }

  /** Stops the process; requests still waiting fail. */
  close(): void {
    this.process.close();
  }

  private ask(
    modelFile: string,
    message: (jobId: number) => Extract<HostMessage, { type: 'refine' | 'propagate' }>,
  ): Promise<Extract<ComputeMessage, { type: 'refined' | 'propagated' }>> {
    this.start(modelFile);
    return new Promise((resolve, reject) => {
      this.process.send(message(this.process.add({ resolve, reject })));
      this.process.armIdle();
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
      this.process.failAll(new Error(message.message));
      return;
    }
    const waiting = this.process.take(message.jobId);
    if (!waiting) return;
    if (message.type === 'error') waiting.reject(Object.assign(new Error(message.message), { code: message.code }));
    else waiting.resolve(message);
  }
}
