import sharp from 'sharp';
import { decodeMask } from '../imaging/mask-codec.js';
import type { JobPatient } from './jobs.js';
import { mapWithConcurrency } from '../util/pool.js';
import { INPUT_CHANNELS } from './config.js';
import { normalizeVolume, resizeMaskNearest } from './preprocess.js';

/** A patient ready for the network: normalised slices at the input size, masks at input and native size. */
export interface PreparedVolume {
  patient: JobPatient;
  size: number;
  /** [slice, y, x, channel] float32, normalised over the volume. */
  images: Float32Array;
  /** [slice, y, x] 0/1 at the input size (training targets). */
  masks: Uint8Array;
  /** Per slice, 0/1 at the slice's own resolution (scoring), or null where there is no mask. */
  nativeMasks: (Uint8Array | null)[];
  lesionAreas: number[];
}

/** Raised when a slice's image cannot be read at training time (moved or deleted since import). */
export class SliceImageError extends Error {
  constructor(path: string, cause: unknown) {
    super(`slice image ${path} cannot be read (${(cause as Error).message}); was its folder moved since import?`, { cause });
    this.name = 'SliceImageError';
  }
}

/** Reads one slice image as 3-channel 8-bit pixels resized to size×size (bilinear). */
export async function readSliceImage(path: string, size: number): Promise<Uint8Array> {
  try {
    const data = await sharp(path)
      .removeAlpha()
      .toColourspace('srgb')
      .resize(size, size, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new SliceImageError(path, error);
  }
}

/** Loads and normalises a patient's slices. */
export async function prepareVolume(patient: JobPatient, size: number): Promise<PreparedVolume> {
  const n = patient.slices.length;
  const plane = size * size;
  const raw = new Uint8Array(n * plane * INPUT_CHANNELS);
  await mapWithConcurrency(patient.slices, 4, async (slice, i) => {
    raw.set(await readSliceImage(slice.imagePath, size), i * plane * INPUT_CHANNELS);
  });
  const masks = new Uint8Array(n * plane);
  const nativeMasks: (Uint8Array | null)[] = [];
  const lesionAreas: number[] = [];
  patient.slices.forEach((slice, i) => {
    const decoded = slice.mask ? decodeMask(slice.mask) : null;
    nativeMasks.push(decoded?.data ?? null);
    const small = decoded ? resizeMaskNearest(decoded.data, decoded.width, decoded.height, size, size) : new Uint8Array(plane);
    masks.set(small, i * plane);
    lesionAreas.push(decoded ? decoded.data.reduce((a, b) => a + b, 0) : 0);
  });
  return { patient, size, images: normalizeVolume(raw, INPUT_CHANNELS), masks, nativeMasks, lesionAreas };
}
