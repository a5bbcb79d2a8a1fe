import { tf } from './tf.js';
import { mkdir, stat } from 'node:fs/promises';
import type { JobPatient, TrainingProgress, TrainingResult, TrainJob } from './jobs.js';
import type { ValidationPoint } from '../contract/index.js';
import { createThrottle, estimateRemainingSeconds } from './throttle.js';
import { availableParallelism } from 'node:os';
import type { BackendChoice } from './backends/backend-choice.js';
import { augmentedSlice } from './augment-slice.js';
import type { Batch } from './gradients.js';
import { TrainingStepper } from './backends/gpu-step.js';
import { GradientWorkerPool } from './parallel/worker-pool.js';
import { INPUT_CHANNELS, validateTrainConfig, type TrainConfig } from './config.js';
import { prepareVolume, type PreparedVolume } from './dataset.js';
import { summarize } from './metrics.js';
import type { CheckpointState } from './model-file-header.js';
import { loadModelFile, saveModelFile, type LoadedModelFile } from './model-file.js';
import { runFiles } from './run-files.js';
import { volumeDice } from './predict.js';
import { createRandom, createSampler, type SampleCandidate } from './sampling.js';
import { runProgress, scheduledLearningRate } from './lr-schedule.js';
import { checkOptimizerWeights, createOptimizer, setLearningRate } from './optimizer.js';
import { buildInferenceUNet, buildUNet, loadFoldedWeights } from './unet.js';

/** Raised when the loss stops being a number; the run ends and its last good checkpoint stays. */
export class NonFiniteLossError extends Error {
  constructor(epoch: number, step: number, loss: number) {
    super(`training diverged: loss became ${loss} at epoch ${epoch}, step ${step}. The last good checkpoint was kept; ` +
      'try a lower learning rate.');
    this.name = 'NonFiniteLossError';
  }
}

/** How a training run talks to whoever started it. */
export interface TrainingHooks {
  onProgress(progress: TrainingProgress): void;
  onEpoch(epoch: number, loss: number, valDice: number | null, checkpoint: string): void;
  /** Polled between steps: true once the user asked to stop. */
  isCancelled(): boolean;
  /** Something the user should know that does not stop the run (e.g. a smaller batch after GPU out-of-memory). */
  onNotice?(message: string): void;
}

/** Progress reaches listeners at most this often (ms): ~10 per second. */
const PROGRESS_INTERVAL_MS = 100;
/** How often a validation under way reports (ms), with the run's clock. */
const VALIDATION_HEARTBEAT_MS = 1000;

/**
 * Trains the U-Net on a job's training patients and keeps the epoch with the best mean per-volume validation
 * Dice. Every epoch writes a checkpoint (weights, optimizer, epoch) atomically; `job.resume` continues from it.
 */
export async function trainUNet(job: TrainJob, hooks: TrainingHooks): Promise<TrainingResult> {
  const started = performance.now();
  const config = validateTrainConfig(job.config);
  const files = runFiles(job.runDir);
  await mkdir(job.runDir, { recursive: true });
  const throttle = createThrottle(PROGRESS_INTERVAL_MS);
  // The run's clock starts now; a resumed run's moves back by its earlier sessions once its checkpoint is read.
  let clockStart = started;
  const validations: ValidationPoint[] = [];
  const report = (p: Partial<TrainingProgress> & Pick<TrainingProgress, 'phase'>, force = false) => {
    if (throttle(force)) {
      hooks.onProgress({
        epoch: 0, epochs: config.epochs, step: 0, steps: 0, loss: null, valDice: null, slicesPerSecond: null, etaSeconds: null,
        elapsedSeconds: (performance.now() - clockStart) / 1000, budgetSeconds: config.minutes > 0 ? config.minutes * 60 : null,
        validations: [...validations], ...p,
      });
    }
  };

  const training = job.patients.filter((p) => p.split === 'train' && p.slices.some((s) => s.mask));
  const validation = job.patients.filter((p) => p.split === 'validation' && p.slices.some((s) => s.mask));
  if (training.length === 0) throw new Error('no training patients with masks: import annotated patients first');
  const load = async (patients: JobPatient[]) => {
    const out: PreparedVolume[] = [];
    for (const patient of patients) {
      report({ phase: 'loading', step: out.length, steps: patients.length });
      out.push(await prepareVolume(patient, config.inputSize));
    }
    return out;
  };
  const trainVolumes = await load(training);
  const valVolumes = await load(validation);

  const resumed = job.resume ? await loadModelFile(files.checkpoint) : null;
  const initial = resumed ?? (job.initModelFile ? await loadModelFile(job.initModelFile) : null);
  if (initial && (initial.shape.features !== config.features || initial.shape.inputSize !== config.inputSize)) {
    initial.model.dispose();
    throw new Error(`the starting model is ${initial.shape.features} features at ${initial.shape.inputSize}²; ` +
      `this run asks for ${config.features} at ${config.inputSize}²`);
  }
  const model = initial?.model ?? buildUNet(config, config.seed);
  const { optimizer, state } = await resumeOptimizer(config, resumed);

  const candidates: SampleCandidate[] = trainVolumes.flatMap((v, patient) =>
    v.patient.slices.map((s, slice) => ({ patient, slice, lesionArea: v.lesionAreas[slice]!, edited: s.edited })),
  );
  const trainSlices = candidates.length;
  const steps = config.stepsPerEpoch || Math.ceil(trainSlices / config.batchSize);
  const clock = runClock(started, state, config.minutes);
  const { budgetMs, deadline } = clock;
  clockStart = clock.clockStart;
  for (const h of state.history) if (h.valDice !== null) validations.push({ step: h.epoch * steps, valDice: h.valDice });
  let stoppedBy: TrainingResult['stoppedBy'] = 'epochs';
  let bestEpoch = state.history.find((h) => h.valDice === state.bestValDice)?.epoch ?? 0;
  const trainStarted = performance.now();
  let stepsDone = 0;
  const threads = gradientThreads(config);
  let pool: GradientWorkerPool | null = null;
  const stepper = new TrainingStepper(config, (message) => hooks.onNotice?.(message));
  // Validation predicts with batch norm folded into the convolutions, as `brainseg predict` does.
  const inference = valVolumes.length > 0 ? buildInferenceUNet(config) : null;
  const validate = async (): Promise<number | null> => {
    if (!inference) return null;
    await pool?.loadWeights(model); // the workers' copies predict too, with this epoch's weights
    loadFoldedWeights(inference, model);
    const scores: number[] = [];
    for (const volume of valVolumes) scores.push(await volumeDice(inference, volume, config.largestComponent, pool));
    return summarize(scores).mean;
  };

  // A validation can take a while (every validation slice at full size): the run's clock keeps moving meanwhile.
  const reportingWhile = async <T>(p: Parameters<typeof report>[0], work: () => Promise<T>): Promise<T> => {
    report(p, true);
    const timer = setInterval(() => report(p), VALIDATION_HEARTBEAT_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  };

  try {
    if (threads > 1) pool = await GradientWorkerPool.start(threads - 1, tf.getBackend() as BackendChoice, config);
    if (initial && !resumed) {
      // Score the starting model on today's masks: its stored score may predate the radiologist's edits.
      state.baselineValDice = await reportingWhile({ phase: 'validating' }, validate);
      if (state.baselineValDice !== null) validations.push({ step: 0, valDice: state.baselineValDice });
      report({ phase: 'training', epoch: state.epoch + 1, steps }, true); // the baseline's point, at once
    }
    for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
      // Seeded per epoch, so a resumed run draws the same samples the uninterrupted one would have.
      const random = createRandom(config.seed * 1000 + epoch);
      const sample = createSampler(candidates, random, job.initModelFile ? config.editedShare : 0, config.lesionFreeShare);
      let lossSum = 0;
      let step = 0;
      while (step < steps) {
        if (hooks.isCancelled()) {
          stoppedBy = 'cancel';
          break;
        }
        const progress = runProgress((epoch - 1) * steps + step, config.epochs * steps, performance.now() - clockStart, budgetMs);
        setLearningRate(optimizer, scheduledLearningRate(config.learningRateSchedule, config.learningRate, progress));
        const batch = sampleBatch(config, trainVolumes, sample, random);
        const loss = pool ? await pool.step(model, optimizer, batch, config) : await stepper.step(model, optimizer, batch);
        step++;
        stepsDone++;
        if (!Number.isFinite(loss)) throw new NonFiniteLossError(epoch, step, loss);
        lossSum += loss;
        const elapsed = (performance.now() - trainStarted) / 1000;
        const remainingSteps = (config.epochs - epoch) * steps + (steps - step);
        report({
          phase: 'training', epoch, step, steps, loss, valDice: state.bestValDice,
          slicesPerSecond: (stepsDone * config.batchSize) / elapsed,
          etaSeconds: remainingSeconds(estimateRemainingSeconds(stepsDone, stepsDone + remainingSteps, elapsed), deadline),
        }, step === steps);
        await yieldToEventLoop(); // lets a cancel message in between steps
        if (performance.now() > deadline) {
          stoppedBy = 'time';
          break;
        }
      }
      if (stoppedBy === 'cancel') break;

      const valDice = await reportingWhile({ phase: 'validating', epoch, step, steps, loss: lossSum / step }, validate);
      if (valDice !== null) validations.push({ step: (epoch - 1) * steps + step, valDice });
      state.epoch = epoch;
      state.elapsedSeconds = (performance.now() - clockStart) / 1000;
      state.history.push({ epoch, loss: lossSum / step, valDice });
      // Without validation patients there is nothing to choose by: the latest epoch is kept.
      if (valDice === null || state.bestValDice === null || valDice > state.bestValDice) {
        state.bestValDice = valDice;
        bestEpoch = epoch;
        await saveModelFile(files.best, config, model);
      }
      await saveModelFile(files.checkpoint, config, model, { optimizer, state });
      hooks.onEpoch(epoch, lossSum / step, valDice, files.checkpoint);
      report({ phase: 'training', epoch, step, steps, loss: lossSum / step, valDice }, true);
      if (stoppedBy === 'time') break;
    }
  } finally {
    await pool?.close();
    model.dispose();
    inference?.dispose();
    optimizer.dispose();
  }

  return runResult(files, state, { bestEpoch, clockStart, stoppedBy });
}

/**
 * The run's optimiser (Adam or momentum SGD) at its rate, with its state (Adam's moments, SGD's momentum
 * accumulators, the step count) and the run's state restored from a checkpoint when resuming.
 */
export async function resumeOptimizer(
  config: Pick<TrainConfig, 'optimizer' | 'learningRate'>,
  resumed: Pick<LoadedModelFile, 'optimizerWeights' | 'state'> | null,
): Promise<{ optimizer: tf.Optimizer; state: CheckpointState }> {
  const optimizer = createOptimizer(config.optimizer, config.learningRate);
  if (resumed?.optimizerWeights) {
    try {
      checkOptimizerWeights(config.optimizer, resumed.optimizerWeights);
    } catch (error) {
      optimizer.dispose();
      tf.dispose(resumed.optimizerWeights.map((w) => w.tensor));
      throw error;
    }
    await optimizer.setWeights(resumed.optimizerWeights);
    tf.dispose(resumed.optimizerWeights.map((w) => w.tensor));
  }
  return { optimizer, state: resumed?.state ?? { epoch: 0, bestValDice: null, baselineValDice: null, history: [] } };
}

/**
 * The run's clock: it counts the time of earlier sessions of a resumed run, for the budget and the schedule alike.
 * `minutes` 0 is no budget.
 */
export function runClock(started: number, state: CheckpointState, minutes: number): { clockStart: number; budgetMs: number; deadline: number } {
  const clockStart = started - (state.elapsedSeconds ?? 0) * 1000;
  const budgetMs = minutes > 0 ? minutes * 60_000 : Number.POSITIVE_INFINITY;
  return { clockStart, budgetMs, deadline: clockStart + budgetMs };
}

/**
 * What a finished (or stopped) run hands back: its best model file if an epoch finished, and its history. A run
 * stopped before its first epoch has nothing to keep, which is an error unless it was cancelled.
 */
export async function runResult(
  files: { best: string },
  state: CheckpointState,
  run: { bestEpoch: number; clockStart: number; stoppedBy: TrainingResult['stoppedBy'] },
): Promise<TrainingResult> {
  const hasBest = await stat(files.best).then(() => true, () => false);
  if (!hasBest && run.stoppedBy !== 'cancel') throw new Error('the run stopped before its first epoch finished: no model to keep');
  return {
    modelFile: hasBest ? files.best : null,
    valDice: state.bestValDice,
    baselineValDice: state.baselineValDice,
    bestEpoch: run.bestEpoch,
    epochsRun: state.epoch,
    history: state.history,
    // The run's whole training time: a resumed run's clock starts its earlier sessions' time before this one began.
    seconds: (performance.now() - run.clockStart) / 1000,
    stoppedBy: run.stoppedBy,
  };
}

/** A freshly sampled, augmented training batch. */
function sampleBatch(
  config: TrainConfig,
  volumes: readonly PreparedVolume[],
  sample: () => SampleCandidate,
  random: () => number,
): Batch {
  const plane = config.inputSize * config.inputSize;
  const xs = new Float32Array(config.batchSize * plane * INPUT_CHANNELS);
  const ys = new Float32Array(config.batchSize * plane);
  for (let b = 0; b < config.batchSize; b++) {
    const pick = sample();
    const augmented = augmentedSlice(volumes[pick.patient]!, pick.slice, config, random);
    xs.set(augmented.image, b * plane * INPUT_CHANNELS);
    for (let i = 0; i < plane; i++) ys[b * plane + i] = augmented.mask[i]!;
  }
  return { xs, ys, count: config.batchSize };
}

/**
 * How many threads compute gradients. Native TensorFlow already uses every core, so it gets one; WASM and the
 * CPU backend are single-threaded, so one per core (at most one per slice of the batch).
 */
export function gradientThreads(config: Pick<TrainConfig, 'workers' | 'batchSize'>, backend = tf.getBackend(), cores = availableParallelism()): number {
  return Math.min(config.workers > 0 ? config.workers : parallelThreads(backend, cores), config.batchSize);
}

/** Threads worth running model copies on: one per core for single-threaded backends, one for native TensorFlow and GPUs. */
export function parallelThreads(backend = tf.getBackend(), cores = availableParallelism()): number {
  return backend === 'tensorflow' || backend === 'webgpu' ? 1 : Math.max(1, cores);
}

/** The steps' estimate, or the time budget's end when that comes first; null while neither is known. */
function remainingSeconds(byStepRate: number | null, deadline: number): number | null {
  const byBudget = Number.isFinite(deadline) ? Math.max(0, (deadline - performance.now()) / 1000) : null;
  if (byStepRate === null) return byBudget;
  return byBudget === null ? byStepRate : Math.min(byStepRate, byBudget);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
