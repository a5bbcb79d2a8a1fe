import sharp from 'sharp';
import type { BinaryMask } from './binary-mask.js';

/**
 * Writes a mask as an 8-bit single-channel image with values 0 and 255: uncompressed TIFF (the dataset's own
 * `_mask.tif` layout) or PNG (for scripts and tests).
 */
export async function writeMaskFile(mask: BinaryMask, file: string, format: 'tiff' | 'png'): Promise<void> {
  const pixels = Buffer.alloc(mask.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = mask.data[i] ? 255 : 0;
  // Without 'b-w' libvips promotes single-channel output to sRGB, tripling the file.
  const image = sharp(pixels, { raw: { width: mask.width, height: mask.height, channels: 1 } }).toColourspace('b-w');
  await (format === 'tiff' ? image.tiff({ compression: 'none' }) : image.png()).toFile(file);
}
