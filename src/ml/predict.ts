import { tf } from './tf.js';
import type { PreparedVolume } from './dataset.js';
import { dice, largestConnectedComponent } from './metrics.js';
import { INPUT_CHANNELS } from './config.js';

/** Slices per forward pass at prediction time. */
const PREDICT_BATCH = 8;

/** One forward pass over slices start…start+n−1 of a normalised stack; the caller reads and disposes the result. */
function forwardBatch(model: tf.LayersModel, images: Float32Array, start: number, n: number, size: number): tf.Tensor {
  const plane = size * size;
  return tf.tidy(() => {
    const x = tf.tensor4d(images.subarray(start * plane * INPUT_CHANNELS, (start + n) * plane * INPUT_CHANNELS), [n, size, size, INPUT_CHANNELS]);
    return model.predict(x) as tf.Tensor;
  });
}

/** Foreground probabilities of `count` normalised slices ([count, size, size, 3]) at the input size. */
export function predictSlices(model: tf.LayersModel, images: Float32Array, count: number, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(count * plane);
  for (let start = 0; start < count; start += PREDICT_BATCH) {
    const n = Math.min(PREDICT_BATCH, count - start);
    const probabilities = forwardBatch(model, images, start, n, size);
    out.set(probabilities.dataSync(), start * plane);
    probabilities.dispose();
  }
  return out;
}

/**
 * {@link predictSlices} reading each batch's result asynchronously: the WebGPU backend in Node has no synchronous
 * read, and elsewhere the result is the same.
 */
export async function predictSlicesAsync(model: tf.LayersModel, images: Float32Array, count: number, size: number): Promise<Float32Array> {
  const plane = size * size;
  const out = new Float32Array(count * plane);
  for (let start = 0; start < count; start += PREDICT_BATCH) {
    const n = Math.min(PREDICT_BATCH, count - start);
    const probabilities = forwardBatch(model, images, start, n, size);
    try {
      out.set(await probabilities.data(), start * plane);
    } finally {
      probabilities.dispose();
    }
  }
  return out;
}

/** Runs predictions on more threads; its copies of the model must hold the current weights. */
export interface PredictionPool {
  predict(model: tf.LayersModel, images: Float32Array, count: number, size: number): Promise<Float32Array>;
}

/** Mirrors [count, size, size, channels] values left–right (a copy). */
export function mirrorSlices(values: Float32Array, count: number, size: number, channels: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < size; y++) {
      const row = (n * size + y) * size;
      for (let x = 0; x < size; x++) {
        const from = (row + x) * channels;
        const to = (row + size - 1 - x) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = values[from + c]!;
      }
    }
  }
  return out;
}

/** Slices per step of a volume's prediction: between steps a predictor can give way to a more urgent job. */
const VOLUME_CHUNK = 4;

/** A volume's prediction stopped between two steps because `shouldStop` said so. */
export class PredictionInterrupted extends Error {
  constructor() {
    super('prediction interrupted');
  }
}

/**
 * Foreground probability maps of a volume at the model's input size: [slice, y, x]. With `testTimeFlip`, each
 * slice is also predicted mirrored and the two maps (the second mirrored back) are averaged. The volume goes in
 * steps of {@link VOLUME_CHUNK} slices (each slice and its mirror image in one pass of the pool); `shouldStop` is
 * asked before each step and a yes throws {@link PredictionInterrupted}; `beforeStep` is awaited before each step
 * with the maps of the slices before `start` filled in.
 */
export async function predictVolume(
  model: tf.LayersModel,
  volume: Pick<PreparedVolume, 'images' | 'size'> & { patient: { slices: readonly unknown[] } },
  pool?: PredictionPool | null,
  options: { testTimeFlip?: boolean; shouldStop?: () => boolean; beforeStep?: (start: number, done: Float32Array) => Promise<void> } = {},
): Promise<Float32Array> {
  const count = volume.patient.slices.length;
  const size = volume.size;
  const plane = size * size;
  const perSlice = plane * INPUT_CHANNELS;
  const out = new Float32Array(count * plane);
  for (let start = 0; start < count; start += VOLUME_CHUNK) {
    // A predictor without worker threads computes synchronously: let its messages in between steps.
    if (start > 0 && !pool) await new Promise((resolve) => setImmediate(resolve));
    if (options.shouldStop?.()) throw new PredictionInterrupted();
    await options.beforeStep?.(start, out);
    const n = Math.min(VOLUME_CHUNK, count - start);
    const images = volume.images.subarray(start * perSlice, (start + n) * perSlice);
    let input = images;
    if (options.testTimeFlip) {
      input = new Float32Array(2 * n * perSlice);
      input.set(images);
      input.set(mirrorSlices(images, n, size, INPUT_CHANNELS), n * perSlice);
    }
    const inputCount = options.testTimeFlip ? 2 * n : n;
    const probabilities = pool ? await pool.predict(model, input, inputCount, size) : await predictSlicesAsync(model, input, inputCount, size);
    if (!options.testTimeFlip) {
      out.set(probabilities.subarray(0, n * plane), start * plane);
      continue;
    }
    const mirrored = mirrorSlices(probabilities.subarray(n * plane), n, size, 1);
    for (let i = 0; i < n * plane; i++) out[start * plane + i] = (probabilities[i]! + mirrored[i]!) / 2;
  }
  return out;
}

/** Resizes one slice's probability map from the input size back to the slice's own resolution (bilinear). */
export function toNativeResolution(probabilities: Float32Array, size: number, width: number, height: number): Float32Array {
  if (width === size && height === size) return probabilities;
  if (tf.getBackend() === 'webgpu') return resizeOnCpu(probabilities, size, width, height);
  // The tensor leaves tidy, its values after: tidy walks a returned typed array element by element looking for
  // tensors (~1 µs each: 60 ms for a 256² map).
  const resized = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(probabilities, [1, size, size, 1]), [height, width], false, true));
  try {
    return resized.dataSync() as Float32Array;
  } finally {
    resized.dispose();
  }
}

/**
 * The same resize on the CPU backend's kernel, called directly: a GPU backend cannot hand back its result
 * synchronously in Node, and one map is too small to be worth the GPU.
 */
function resizeOnCpu(probabilities: Float32Array, size: number, width: number, height: number): Float32Array {
  const cpu = tf.findBackend('cpu') as tf.KernelBackend;
  const shape = [1, size, size, 1];
  const images: tf.TensorInfo = { dataId: cpu.write(probabilities, shape, 'float32'), shape, dtype: 'float32' };
  const attrs = { alignCorners: false, halfPixelCenters: true, size: [height, width] };
  const resized = tf.getKernel('ResizeBilinear', 'cpu')!.kernelFunc({ inputs: { images }, backend: cpu, attrs }) as tf.TensorInfo;
  try {
    return cpu.readSync(resized.dataId) as Float32Array;
  } finally {
    cpu.disposeData(images.dataId);
    cpu.disposeData(resized.dataId);
  }
}

/** Every slice's probability map ([slice, y, x] at the input size) at that slice's own resolution. */
export function toNativeVolume(probabilities: Float32Array, size: number, slices: readonly { width: number; height: number }[]): Float32Array[] {
  const plane = size * size;
  return slices.map((s, i) => toNativeResolution(probabilities.subarray(i * plane, (i + 1) * plane), size, s.width, s.height));
}

/** A volume's predictions at native resolution, thresholded at 0.5, optionally reduced to the largest lesion. */
export function binarizeVolume(
  nativeProbabilities: readonly Float32Array[],
  width: number,
  height: number,
  largestComponent: boolean,
): Uint8Array {
  const plane = width * height;
  const volume = new Uint8Array(nativeProbabilities.length * plane);
  nativeProbabilities.forEach((p, i) => {
    for (let j = 0; j < plane; j++) volume[i * plane + j] = p[j]! >= 0.5 ? 1 : 0;
  });
  return largestComponent ? largestConnectedComponent(volume, nativeProbabilities.length, height, width) : volume;
}

/**
 * Per-volume Dice of a model on a prepared patient, as Buda et al. report it: stack the slices' predictions at
 * native resolution, threshold, (optionally) keep the largest component, and compare with the stacked masks.
 */
export async function volumeDice(
  model: tf.LayersModel,
  volume: PreparedVolume,
  largestComponent: boolean,
  pool?: PredictionPool | null,
): Promise<number> {
  const { width, height } = volume.patient.slices[0]!;
  if (volume.patient.slices.some((s) => s.width !== width || s.height !== height)) {
    throw new Error(`patient ${volume.patient.caseId} mixes slice sizes; per-volume Dice needs one size`);
  }
  const native = toNativeVolume(await predictVolume(model, volume, pool), volume.size, volume.patient.slices);
  const predicted = binarizeVolume(native, width, height, largestComponent);
  const truth = new Uint8Array(predicted.length);
  volume.nativeMasks.forEach((mask, i) => mask && truth.set(mask, i * width * height));
  return dice(predicted, truth);
}
