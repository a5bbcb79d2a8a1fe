import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../ml/backends/select-backend.js';
import { prepareVolume } from '../ml/dataset.js';
import { GradientWorkerPool } from '../ml/parallel/worker-pool.js';
import { parallelThreads } from '../ml/train-loop.js';
import { loadModelFile } from '../ml/model-file.js';
import { binarizeVolume, predictVolume, toNativeVolume } from '../ml/predict.js';
import { foldedCopy } from '../ml/unet.js';
import type { PredictJob } from '../ml/jobs.js';

/** One slice's prediction, as sent to the host for storage. */
export interface SlicePrediction {
  sliceId: number;
  width: number;
  height: number;
  probabilities: Uint8Array;
}

/**
 * Predicts every slice of the job's patients with a stored model and hands each slice's 8-bit probability map
 * (at the slice's own resolution) to `emit`. With `largestComponent`, probabilities outside the volume's
 * largest predicted lesion are zeroed, as at evaluation time.
 */
export async function predictJob(
  job: PredictJob,
  emit: (prediction: SlicePrediction) => void,
  isCancelled: () => boolean,
): Promise<{ slices: number; seconds: number }> {
  const started = performance.now();
  const { model, shape } = await loadModelFile(job.modelFile);
  const inference = foldedCopy(model, shape);
  let slices = 0;
  let pool: GradientWorkerPool | null = null;
  try {
    const threads = parallelThreads();
    if (threads > 1) {
      pool = await GradientWorkerPool.start(threads - 1, tf.getBackend() as BackendChoice, shape);
      await pool.loadWeights(model);
    }
    for (const patient of job.patients) {
      if (isCancelled() || patient.slices.length === 0) continue;
      const volume = await prepareVolume(patient, shape.inputSize);
      const native = toNativeVolume(await predictVolume(inference, volume, pool, { testTimeFlip: job.testTimeFlip }), shape.inputSize, patient.slices);
      const keep = job.largestComponent ? componentMask(native, patient.slices) : null;
      let offset = 0;
      patient.slices.forEach((slice, i) => {
        const map = native[i]!;
        const bytes = new Uint8Array(map.length);
        for (let j = 0; j < map.length; j++) bytes[j] = keep && !keep[offset + j] ? 0 : Math.round(map[j]! * 255);
        offset += map.length;
        emit({ sliceId: slice.sliceId, width: slice.width, height: slice.height, probabilities: bytes });
        slices++;
      });
    }
  } finally {
    await pool?.close();
    model.dispose();
    inference.dispose();
  }
  return { slices, seconds: (performance.now() - started) / 1000 };
}

/** The largest 3-D component of the thresholded volume, or null when slice sizes differ (no volume to speak of). */
function componentMask(native: readonly Float32Array[], slices: readonly { width: number; height: number }[]): Uint8Array | null {
  const { width, height } = slices[0]!;
  if (slices.some((s) => s.width !== width || s.height !== height)) return null;
  return binarizeVolume(native, width, height, true);
}

