import type { BackendChoice, BackendReport } from '../ml/backends/backend-choice.js';
import type { PredictJob, TrainingProgress, TrainingResult, TrainJob } from '../ml/jobs.js';
import type { InteractiveEvalJob, InteractiveEvaluation } from '../ml/interactive/evaluate.js';
import type { PropagatedSlice, RefineRequest } from '../ml/interactive/click-refiner.js';
import type { JobPatient } from '../ml/jobs.js';

// The messages between the host and the compute process (a forked child under Node, a utilityProcess in Electron).

/** Messages from the host to the compute process. */
export type HostMessage =
  | { type: 'train'; job: TrainJob }
  /** A prediction job; `jobId` when the process is a warm predictor (it answers with the same id). */
  | { type: 'predict'; job: PredictJob; jobId?: number }
  /** `brainseg eval --clicks`: the click protocol of the interactive model (issue #29). */
  | { type: 'evaluate-clicks'; job: InteractiveEvalJob }
  /** Become a warm predictor: load the backend now, then run prediction jobs one after another until closed. */
  | { type: 'predictor'; backend: BackendChoice }
  /** A warm predictor's job turns urgent (someone opened that patient), with a preview slice if it has not started. */
  | { type: 'promote'; jobId: number; previewSliceId?: number }
  /** Become the click engine (issue #29): load the backend and this interactive model, then answer clicks. */
  | { type: 'clicker'; backend: BackendChoice; modelFile: string }
  /** The click engine: a slice's proposal after its clicks. */
  | { type: 'refine'; jobId: number; request: RefineRequest }
  /** The click engine: an accepted slice's mask carried to its neighbours (proposals: per slice, the automatic mask or null). */
  | { type: 'propagate'; jobId: number; patient: JobPatient; sliceIndex: number; mask: Uint8Array; proposals: (Uint8Array | null)[] }
  | { type: 'cancel' };

/** Messages from the compute process to the host. */
export type ComputeMessage =
  | { type: 'backend'; report: BackendReport }
  | { type: 'progress'; progress: TrainingProgress }
  /** Something the user should see that does not stop the job (e.g. a smaller batch after GPU out-of-memory). */
  | { type: 'notice'; message: string }
  | { type: 'epoch'; epoch: number; loss: number; valDice: number | null; checkpoint: string }
  | { type: 'prediction'; sliceId: number; width: number; height: number; probabilities: Uint8Array; jobId?: number }
  /** The job's preview slice, predicted alone before its volume (no volume-level step): shown until the volume's. */
  | { type: 'preview'; sliceId: number; width: number; height: number; probabilities: Uint8Array; jobId?: number }
  | { type: 'trained'; result: TrainingResult }
  | { type: 'predicted'; slices: number; seconds: number; jobId?: number }
  | { type: 'clicks-evaluated'; evaluation: InteractiveEvaluation }
  /** The click engine has its backend and model loaded. */
  | { type: 'clicker-ready'; jobId?: undefined }
  | { type: 'refined'; jobId: number; mask: Uint8Array }
  | { type: 'propagated'; jobId: number; slices: PropagatedSlice[] }
  | { type: 'error'; message: string; code: 'non-finite-loss' | 'bad-input' | 'internal'; jobId?: number };

/** How the compute process talks to its host: Node's IPC channel, or Electron's parentPort (entry.ts). */
export interface Channel {
  send(message: ComputeMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
  close(): void;
}
