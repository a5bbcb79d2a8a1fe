import type { BackendChoice, BackendReport } from '../ml/backends/backend-choice.js';
import type { PredictJob } from '../ml/jobs.js';
import { currentComputeLauncher, type ComputeLauncher } from './host.js';
import { KeptProcess } from './kept-process.js';
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
  private readonly process: KeptProcess<Waiting>;
  /** Called when a predictor process has loaded its backend (the device the models panel shows). */
  onBackend: ((report: BackendReport) => void) | null = null;

  constructor(
    private readonly backend: BackendChoice = 'auto',
    launch: () => ComputeLauncher = currentComputeLauncher,
    idleMs = PREDICTOR_IDLE_MS,
  ) {
    this.process = new KeptProcess<Waiting>({ name: 'the predictor', idleMs, launch, onMessage: (message) => this.receive(message) });
  }

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
    this.process.disarmIdle();
    return new Promise((resolve, reject) => {
      const jobId = this.process.add({ onSlice, ...(onPreview && { onPreview }), resolve, reject });
      child.send({ type: 'predict', job, jobId });
      onQueued?.(jobId);
    });
  }

  /**
   * Makes a queued job urgent (someone opened its patient while it waited as background work), so it runs next —
   * with a preview of that slice first if it has not started — instead of being asked for a second time.
   */
  promote(jobId: number, previewSliceId?: number): void {
    if (this.process.get(jobId)) this.process.send({ type: 'promote', jobId, ...(previewSliceId !== undefined && { previewSliceId }) });
  }

  /** Whether a predictor process is running now. */
  get running(): boolean {
    return this.process.running;
  }

  /** Stops the process; jobs still waiting fail. */
  close(): void {
    this.process.close();
  }

  private ensureChild() {
    return this.process.ensure({ type: 'predictor', backend: this.backend });
  }

  private receive(message: ComputeMessage): void {
    if (message.type === 'backend') {
      this.onBackend?.(message.report);
      return;
    }
    if (!('jobId' in message) || message.jobId === undefined) return;
    const waiting = this.process.get(message.jobId);
    if (!waiting) return;
    if (message.type === 'prediction' || message.type === 'preview') {
      const { sliceId, width, height, probabilities } = message;
      (message.type === 'prediction' ? waiting.onSlice : waiting.onPreview)?.({ sliceId, width, height, probabilities });
      return;
    }
    this.process.take(message.jobId);
    if (message.type === 'predicted') waiting.resolve({ slices: message.slices, seconds: message.seconds });
    else if (message.type === 'error') waiting.reject(Object.assign(new Error(message.message), { code: message.code }));
    if (this.process.pending === 0) this.process.armIdle();
  }
}
