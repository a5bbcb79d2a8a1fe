import sharp from 'sharp';
import { MAX_SLICE_PIXELS } from './decode.js';

/** A small grey preview of a slice, for the slice strip. */
export interface Thumbnail {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  data: Uint8Array;
}

/** In the LGG layout the channels are pre-contrast, FLAIR, post-contrast: FLAIR (channel 1) shows the lesion. */
export const FLAIR_CHANNEL = 1;

/** Shrinks a slice image to fit `size`×`size`, keeping its FLAIR channel (or its only channel). */
export async function makeThumbnail(imagePath: string, size: number): Promise<Thumbnail> {
  const image = sharp(imagePath, { limitInputPixels: MAX_SLICE_PIXELS });
  const { channels } = await image.metadata();
  const { data, info } = await image
    .extractChannel((channels ?? 1) >= 3 ? FLAIR_CHANNEL : 0)
    .resize(size, size, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
