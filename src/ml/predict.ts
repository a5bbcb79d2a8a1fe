import * as tf from '@tensorflow/tfjs';
import type { PreparedVolume } from './dataset.js';
import { dice, largestConnectedComponent } from './metrics.js';
import { INPUT_CHANNELS } from './unet.js';

/** Slices per forward pass at prediction time. */
const PREDICT_BATCH = 8;

/** Foreground probability maps of a volume at the model's input size: [slice, y, x]. */
export function predictVolume(model: tf.LayersModel, volume: PreparedVolume): Float32Array {
  const n = volume.patient.slices.length;
  const plane = volume.size * volume.size;
  const out = new Float32Array(n * plane);
  for (let start = 0; start < n; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, n - start);
    const probabilities = tf.tidy(() => {
      const x = tf.tensor4d(
        volume.images.subarray(start * plane * INPUT_CHANNELS, (start + count) * plane * INPUT_CHANNELS),
        [count, volume.size, volume.size, INPUT_CHANNELS],
      );
      return model.predict(x) as tf.Tensor;
    });
    out.set(probabilities.dataSync(), start * plane);
    probabilities.dispose();
  }
  return out;
}

/** Resizes one slice's probability map from the input size back to the slice's own resolution (bilinear). */
export function toNativeResolution(probabilities: Float32Array, size: number, width: number, height: number): Float32Array {
  if (width === size && height === size) return probabilities;
  return tf.tidy(() => {
    const map = tf.tensor4d(probabilities, [1, size, size, 1]);
    return tf.image.resizeBilinear(map, [height, width], false, true).dataSync() as Float32Array;
  });
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
export function volumeDice(model: tf.LayersModel, volume: PreparedVolume, largestComponent: boolean): number {
  const { width, height } = volume.patient.slices[0]!;
  if (volume.patient.slices.some((s) => s.width !== width || s.height !== height)) {
    throw new Error(`patient ${volume.patient.caseId} mixes slice sizes; per-volume Dice needs one size`);
  }
  const plane = volume.size * volume.size;
  const probabilities = predictVolume(model, volume);
  const native = volume.patient.slices.map((_, i) =>
    toNativeResolution(probabilities.subarray(i * plane, (i + 1) * plane), volume.size, width, height),
  );
  const predicted = binarizeVolume(native, width, height, largestComponent);
  const truth = new Uint8Array(predicted.length);
  volume.nativeMasks.forEach((mask, i) => mask && truth.set(mask, i * width * height));
  return dice(predicted, truth);
}
