import { tf } from '../ml/tf.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { prepareVolume, type PreparedVolume } from '../ml/dataset.js';
import type { PredictJob } from '../ml/jobs.js';
import { loadModelFile } from '../ml/model-file.js';
import { GradientWorkerPool } from '../ml/parallel/worker-pool.js';
import { binarizeVolume, PredictionInterrupted, predictVolume, toNativeResolution, toNativeVolume } from '../ml/predict.js';
import { parallelThreads } from '../ml/train-loop.js';
import { foldedCopy } from '../ml/unet.js';
import { INPUT_CHANNELS } from '../ml/config.js';

/** One slice's prediction, as sent to the host for storage. */
export interface SlicePrediction {
  sliceId: number;
  width: number;
  height: number;
  probabilities: Uint8Array;
}

/**
 * A job gave way to a more urgent one between two steps of a patient's volume: `patientIndex` is the patient to
 * resume from (the ones before it are sent), `slices` how many slices it sent.
 */
export class PredictorYielded extends Error {
  constructor(
    readonly patientIndex: number,
    readonly slices: number,
  ) {
    super('the prediction gave way to a more urgent one');
  }
}

/** A model loaded for inference: the folded network and the worker threads holding its weights. */
interface LoadedModel {
  file: string;
  model: tf.LayersModel;
  inference: tf.LayersModel;
  inputSize: number;
  pool: GradientWorkerPool | null;
}

/**
 * Runs prediction jobs, keeping the last model loaded (with its worker threads) between jobs: a warm predictor
 * answers a patient in the time its slices take, not the seconds a backend, a model and threads take to start.
 */
export class Predictor {
  private loaded: LoadedModel | null = null;

  /**
   * Predicts every slice of the job's patients and hands each slice's 8-bit probability map (at the slice's own
   * resolution) to `emit`. With `largestComponent`, probabilities outside the volume's largest predicted lesion
   * are zeroed, as at evaluation time; with `testTimeFlip`, each slice's map averages it and its mirror image's.
   */
  async run(
    job: PredictJob,
    emit: (prediction: SlicePrediction) => void,
    isCancelled: () => boolean,
    options: { onPreview?: (prediction: SlicePrediction) => void; shouldYield?: () => boolean } = {},
  ): Promise<{ slices: number; seconds: number }> {
    const started = performance.now();
    const { inference, inputSize, pool } = await this.load(job.modelFile, job.backend);
    const shouldStop = () => isCancelled() || (options.shouldYield?.() ?? false);
    let slices = 0;
    for (const [index, patient] of job.patients.entries()) {
      if (isCancelled() || patient.slices.length === 0) continue;
      const volume = await prepareVolume(patient, inputSize);
      // The preview slice (named with the job, or later by a promotion: `job` is read at each step) goes first, then
      // its two neighbours (where a reader steps next), each sent as soon as it is predicted; the volume after them.
      const beforeStep = async (start: number, done: Float32Array) => {
        const at = patient.slices.findIndex((s) => s.sliceId === job.previewSliceId);
        if (at < 0 || !options.onPreview) return;
        // Shown once: if this job gives way and resumes, the screen already has it (a later promotion may name another).
        job.previewSliceId = undefined;
        const plane = inputSize * inputSize;
        for (const i of [at, at - 1, at + 1].filter((i) => i >= 0 && i < patient.slices.length)) {
          const map = i < start ? done.slice(i * plane, (i + 1) * plane) : await this.predictSlice(volume, i, job.testTimeFlip, pool);
          const slice = patient.slices[i]!;
          const native = toNativeResolution(map, inputSize, slice.width, slice.height);
          options.onPreview({ sliceId: slice.sliceId, width: slice.width, height: slice.height, probabilities: Uint8Array.from(native, (p) => Math.round(p * 255)) });
        }
      };
      if (job.previewOnly) {
        await beforeStep(0, new Float32Array(0));
        continue;
      }
      let probabilities: Float32Array;
      try {
        probabilities = await predictVolume(inference, volume, pool, { testTimeFlip: job.testTimeFlip, shouldStop, beforeStep });
      } catch (error) {
        if (!(error instanceof PredictionInterrupted) || isCancelled()) continue;
        throw new PredictorYielded(index, slices);
      }
      const native = toNativeVolume(probabilities, inputSize, patient.slices);
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
    return { slices, seconds: (performance.now() - started) / 1000 };
  }

  /** One slice of a prepared volume predicted alone (normalised with its volume, flipped as the job says). */
  private async predictSlice(volume: PreparedVolume, at: number, testTimeFlip: boolean, pool: GradientWorkerPool | null): Promise<Float32Array> {
    const { inference, inputSize } = this.loaded!;
    const perSlice = inputSize * inputSize * INPUT_CHANNELS;
    const one = { size: inputSize, images: volume.images.subarray(at * perSlice, (at + 1) * perSlice), patient: { slices: [volume.patient.slices[at]] } };
    return predictVolume(inference, one, pool, { testTimeFlip });
  }

  /** Frees the loaded model and its threads. */
  async close(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (!loaded) return;
    await loaded.pool?.close();
    loaded.model.dispose();
    loaded.inference.dispose();
  }

  private async load(file: string, backend: BackendChoice): Promise<LoadedModel> {
    if (this.loaded?.file === file) return this.loaded;
    await this.close();
    const { model, shape } = await loadModelFile(file);
    const inference = foldedCopy(model, shape);
    let pool: GradientWorkerPool | null = null;
    try {
      const threads = parallelThreads();
      if (threads > 1) {
        pool = await GradientWorkerPool.start(threads - 1, (tf.getBackend() as BackendChoice) ?? backend, shape);
        await pool.loadWeights(model);
      }
    } catch (error) {
      await pool?.close();
      model.dispose();
      inference.dispose();
      throw error;
    }
    this.loaded = { file, model, inference, inputSize: shape.inputSize, pool };
    return this.loaded;
  }
}

/** A one-off prediction job (`brainseg predict`, `brainseg eval`): load, predict, free. */
export async function predictJob(job: PredictJob, emit: (prediction: SlicePrediction) => void, isCancelled: () => boolean): Promise<{ slices: number; seconds: number }> {
  const predictor = new Predictor();
  try {
    return await predictor.run(job, emit, isCancelled);
  } finally {
    await predictor.close();
  }
}

/** The largest 3-D component of the thresholded volume, or null when slice sizes differ (no volume to speak of). */
function componentMask(native: readonly Float32Array[], slices: readonly { width: number; height: number }[]): Uint8Array | null {
  const { width, height } = slices[0]!;
  if (slices.some((s) => s.width !== width || s.height !== height)) return null;
  return binarizeVolume(native, width, height, true);
}
