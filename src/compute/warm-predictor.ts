import type { BackendChoice, BackendReport } from '../ml/backends/select-backend.js';
import type { PredictJob } from '../ml/jobs.js';
import { currentComputeLauncher, COMPUTE_ENTRY, type ComputeChild, type ComputeLauncher } from './host.js';
import type { ComputeMessage } from './protocol.js';
import type { SlicePrediction } from './predict-job.js';

/** A predictor process with nothing to do is stopped after this long (its model and threads hold memory). */
export const PREDICTOR_IDLE_MS = 10 * 60_000;

interface Waiting {
  onSlice(prediction: SlicePrediction): void;
  onPreview?(prediction: SlicePrediction): void;
  resolve(summary: { slices: number; seconds: number }): void;
  reject(error: Error): void;
}

/**
 * A compute process kept running as a predictor for `brainseg serve` and the desktop app, so opening a patient
 * does not wait for a process, a backend and a model to start (seconds) before its slices are predicted. Jobs run
 * one at a time in the order asked. If the process dies, the job in flight fails with the reason and the next job
 * starts a new process; after {@link PREDICTOR_IDLE_MS} without work it is stopped.
 */
export class WarmPredictor {
  private child: ComputeChild | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private idleTimer: NodeJS.Timeout | null = null;
  private stderr = '';
  /** Called when a predictor process has loaded its backend (the device the models panel shows). */
  onBackend: ((report: BackendReport) => void) | null = null;

  constructor(
    private readonly backend: BackendChoice = 'auto',
    private readonly launch: () => ComputeLauncher = currentComputeLauncher,
    private readonly idleMs = PREDICTOR_IDLE_MS,
  ) {}

  /** Starts the process (and its backend) ahead of the first job; with a job of no patients, loads that model too. */
  warm(modelFile?: string): void {
    if (!modelFile) {
      this.ensureChild();
      return;
    }
    void this.predict({ backend: this.backend, modelFile, patients: [], largestComponent: false, testTimeFlip: false }, () => undefined).catch(() => undefined);
  }

  /**
   * Runs one prediction job in the warm process (an urgent one ahead of the others). `onPreview` receives the
   * job's preview slice, when it names one, before the volume's slices; `onQueued` the job's id (to promote it).
   */
  predict(
    job: PredictJob,
    onSlice: (prediction: SlicePrediction) => void,
    { onPreview, onQueued }: { onPreview?: (prediction: SlicePrediction) => void; onQueued?: (jobId: number) => void } = {},
  ): Promise<{ slices: number; seconds: number }> {
    const child = this.ensureChild();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const jobId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(jobId, { onSlice, ...(onPreview && { onPreview }), resolve, reject });
      child.send({ type: 'predict', job, jobId });
      onQueued?.(jobId);
    });
  }

  /**
   * Makes a queued job urgent (someone opened its patient while it waited as background work), so it runs next —
   * with a preview of that slice first if it has not started — instead of being asked for a second time.
   */
  promote(jobId: number, previewSliceId?: number): void {
    if (this.waiting.has(jobId)) this.child?.send({ type: 'promote', jobId, ...(previewSliceId !== undefined && { previewSliceId }) });
  }

  /** Whether a predictor process is running now. */
  get running(): boolean {
    return this.child?.running ?? false;
  }

  /** Stops the process; jobs still waiting fail. */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.child?.kill();
    this.child = null;
  }

  private ensureChild(): ComputeChild {
    if (this.child?.running) return this.child;
    const child = this.launch()(COMPUTE_ENTRY);
    this.child = child;
    this.stderr = '';
    child.onStderr((chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.onMessage((message) => this.receive(message));
    const failAll = (reason: string) => {
      if (this.child === child) this.child = null;
      const error = new Error(`the predictor stopped (${reason})${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      for (const [, waiting] of this.waiting) waiting.reject(error);
      this.waiting.clear();
    };
    child.onExit((code, signal) => failAll(signal ?? `exit code ${code}`));
    child.onError((error) => failAll(error.message));
    child.send({ type: 'predictor', backend: this.backend });
    return child;
  }

  private receive(message: ComputeMessage): void {
    if (message.type === 'backend') {
      this.onBackend?.(message.report);
      return;
    }
    if (!('jobId' in message) || message.jobId === undefined) return;
    const waiting = this.waiting.get(message.jobId);
    if (!waiting) return;
    if (message.type === 'prediction' || message.type === 'preview') {
      const { sliceId, width, height, probabilities } = message;
      (message.type === 'prediction' ? waiting.onSlice : waiting.onPreview)?.({ sliceId, width, height, probabilities });
      return;
    }
    this.waiting.delete(message.jobId);
    if (message.type === 'predicted') waiting.resolve({ slices: message.slices, seconds: message.seconds });
    else if (message.type === 'error') waiting.reject(Object.assign(new Error(message.message), { code: message.code }));
    if (this.waiting.size === 0) {
      this.idleTimer = setTimeout(() => this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }
}
