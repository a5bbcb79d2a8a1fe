import { createHash } from 'node:crypto';
import type { BinaryMask, Slice } from '../catalog/types.js';
import { binarize, decodeImage, ImageDecodeError, MAX_FILE_BYTES } from '../imaging/decode.js';
import { readAdmittedFile, SliceReadError } from './admit-file.js';

export { SliceReadError };
import type { SliceFiles } from './scan.js';

/** A slice read and checked from disk, ready to be written to the catalog. */
export type ReadSlice = Pick<Slice, 'number' | 'imagePath' | 'contentHash' | 'width' | 'height' | 'channels'> & {
  mask: BinaryMask | null;
  /** The image file's bytes (a team catalog stores them). */
  imageBytes: Buffer;
};

/** The image's content hash, without decoding it: lets a re-import recognise unchanged slices cheaply. */
export async function hashImage(imagePath: string): Promise<{ bytes: Buffer; hash: string }> {
  const bytes = await readBytes(imagePath);
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

/** Decodes a slice image and its mask, checking that both are whole and the same size. */
export async function readSlice(files: SliceFiles, image: { bytes: Buffer; hash: string }): Promise<ReadSlice> {
  const decoded = await decode(files.imagePath, image.bytes);
  let mask: BinaryMask | null = null;
  if (files.maskPath) {
    const maskImage = await decode(files.maskPath, await readBytes(files.maskPath));
    if (maskImage.width !== decoded.width || maskImage.height !== decoded.height) {
      throw new SliceReadError(
        files.maskPath,
        `mask is ${maskImage.width}×${maskImage.height} but its image is ${decoded.width}×${decoded.height}`,
      );
    }
    mask = { width: decoded.width, height: decoded.height, data: binarize(maskImage) };
  }
  return {
    number: files.number,
    imagePath: files.imagePath,
    contentHash: image.hash,
    width: decoded.width,
    height: decoded.height,
    channels: decoded.channels,
    mask,
    imageBytes: image.bytes,
  };
}

async function decode(file: string, bytes: Buffer) {
  try {
    return await decodeImage(bytes);
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new SliceReadError(file, error.message);
    throw error;
  }
}

function readBytes(file: string): Promise<Buffer> {
  return readAdmittedFile(file, MAX_FILE_BYTES);
}
