import { tf } from '../ml/tf.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { selectBackend } from '../ml/backends/select-backend.js';
import { DEFAULTS, INPUT_CHANNELS, PRESETS, type PresetName } from '../ml/config.js';
import { TrainingStepper } from '../ml/backends/gpu-step.js';
import { predictSlicesAsync } from '../ml/predict.js';
import { GradientWorkerPool } from '../ml/parallel/worker-pool.js';
import { gradientThreads } from '../ml/train-loop.js';
import { buildUNet, foldedCopy } from '../ml/unet.js';

/** Timings of one preset on one backend (`error` when it could not run, e.g. out of memory). */
export interface PresetTiming {
  /** Threads computing gradients (data-parallel workers plus the main thread). */
  threads: number;
  trainStepSeconds: number | null;
  trainSecondsPerSlice: number | null;
  batchSize: number;
  predictMs: number | null;
  error?: string;
}

/** Slices per timed prediction batch, as `brainseg predict` uses. */
const PREDICT_BATCH = 8;

function syntheticBatch(batch: number, size: number): { xs: Float32Array; ys: Float32Array } {
  const xs = Float32Array.from({ length: batch * size * size * INPUT_CHANNELS }, (_, i) => Math.sin(i * 0.37));
  // A disc of "lesion" in each target, so the Dice loss has gradients everywhere it does in real training.
  const ys = new Float32Array(batch * size * size);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) ys[(b * size + y) * size + x] = (x - size / 2) ** 2 + (y - size / 3) ** 2 < (size / 8) ** 2 ? 1 : 0;
    }
  }
  return { xs, ys };
}

/**
 * Times the real training step (forward, Dice loss, backward, Adam) and batched prediction of a preset's U-Net.
 * One warm-up of each first: WASM compiles and allocates on first use.
 */
export async function timePreset(backend: BackendChoice, preset: PresetName, steps: number): Promise<PresetTiming & { backend: string }> {
  const report = await selectBackend(backend);
  const { features, inputSize } = PRESETS[preset];
  const batchSize = DEFAULTS.batchSize;
  const threads = gradientThreads({ workers: 0, batchSize });
  const timing: PresetTiming = { threads, trainStepSeconds: null, trainSecondsPerSlice: null, batchSize, predictMs: null };
  const model = buildUNet({ features, inputSize });
  const inference = foldedCopy(model, { features, inputSize }); // what `brainseg predict` runs
  const optimizer = tf.train.adam(PRESETS[preset].learningRate);
  let pool: GradientWorkerPool | null = null;
  try {
    if (threads > 1) {
      pool = await GradientWorkerPool.start(threads - 1, tf.getBackend() as BackendChoice, { features, inputSize });
      await pool.loadWeights(model);
    }
    // Each thread predicts a batch of 8, as `brainseg predict` does.
    const slices = PREDICT_BATCH * threads;
    const images = syntheticBatch(slices, inputSize).xs;
    const predictOnce = () => (pool ? pool.predict(inference, images, slices, inputSize) : predictSlicesAsync(inference, images, slices, inputSize));
    await predictOnce();
    const predictStart = performance.now();
    const predictRuns = 2;
    for (let i = 0; i < predictRuns; i++) await predictOnce();
    timing.predictMs = (performance.now() - predictStart) / (predictRuns * slices);

    const { xs, ys } = syntheticBatch(batchSize, inputSize);
    const config = { inputSize, bceWeight: 0, microBatchSize: PRESETS[preset].microBatchSize, features, batchSize };
    const batch = { xs, ys, count: batchSize };
    // As training steps: on WebGPU the batch in one pass where the adapter allows, the loss read asynchronously.
    const stepper = new TrainingStepper(config);
    const step = () => (pool ? pool.step(model, optimizer, batch, config) : stepper.step(model, optimizer, batch));
    await step();
    const trainStart = performance.now();
    for (let i = 0; i < steps; i++) await step();
    timing.trainStepSeconds = (performance.now() - trainStart) / 1000 / steps;
    timing.trainSecondsPerSlice = timing.trainStepSeconds / batchSize;
  } catch (error) {
    timing.error = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  } finally {
    await pool?.close();
    model.dispose();
    inference.dispose();
    optimizer.dispose();
  }
  return { ...timing, backend: report.name };
}
