import sharp from 'sharp';

/** Largest slice we accept (pixels). MRI slices are ≤ 1024²; refusing more keeps a lying header from eating RAM. */
export const MAX_SLICE_PIXELS = 4096 * 4096;

/** Largest file we read into memory (bytes). An uncompressed 4096² RGB slice is 48 MiB. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A decoded image: interleaved 8-bit channels, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** A decoding failure with a reason a radiologist can act on. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

/** Decodes an 8-bit image file's bytes (TIFF, PNG, …) to raw pixels, refusing oversized or damaged input. */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw new ImageDecodeError(`file is ${bytes.byteLength} bytes; the limit is ${MAX_FILE_BYTES}`);
  }
  try {
    // failOn 'warning': libtiff reports missing pixel data ("Read error at scanline…", "Not enough data") only as
    // a warning, and a header promising 4000×4000 pixels with none behind it would import as a black slice. All
    // 1,362 TIFFs of the LGG sample decode without a warning.
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_SLICE_PIXELS, failOn: 'warning' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) };
  } catch (error) {
    throw new ImageDecodeError(describeSharpError(error, bytes));
  }
}

// TIFF files start with a byte-order mark and the magic number 42.
function looksLikeTiff(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.byteLength)).toString('latin1');
  return head === 'II*\0' || head === 'MM\0*';
}

function describeSharpError(error: unknown, bytes: Uint8Array): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return `image is larger than ${Math.sqrt(MAX_SLICE_PIXELS)}×${Math.sqrt(MAX_SLICE_PIXELS)} pixels`;
  }
  // libvips words "I do not know this format" two ways (which one depends on how the buffer was probed).
  if (/unsupported image format|not in a known format/i.test(message)) {
    // libvips cannot tell a cut-off TIFF (its directory lies past the end) from a non-image; the header can.
    return looksLikeTiff(bytes)
      ? 'TIFF is truncated or damaged (its image directory cannot be read)'
      : 'not an image file (unrecognised format)';
  }
  // A libtiff/libvips warning (failOn 'warning') is missing or inconsistent pixel data, whatever its wording.
  if (/truncated|premature|end of|read error|short read|not enough|out of bounds|warning treated as error/i.test(message)) {
    return `image data is truncated or damaged (${firstLine(message)})`;
  }
  return `cannot decode image (${firstLine(message)})`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** Turns a decoded mask image (1 or more channels, any 8-bit values) into 0/1, foreground where ≥ 128. */
export function binarize(image: DecodedImage): Uint8Array {
  const { width, height, channels, data } = image;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i * channels]! >= 128 ? 1 : 0;
  return mask;
}
