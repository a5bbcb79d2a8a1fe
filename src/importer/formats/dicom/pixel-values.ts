// From a frame's stored bits to the values the volume holds: only BitsStored bits count (the rest may carry
// overlays or garbage), signed values are sign-extended from their top stored bit, and MONOCHROME1 (white is low)
// is inverted within the stored range so that higher always means brighter, as in MONOCHROME2.
import type { VoxelData } from '../../../imaging/volume/volume.js';
import type { PixelFormat } from './dicom-header.js';

/** The typed array a series is read into: its stored type, or float when the rescale differs between slices. */
export function allocateVoxels(pixel: PixelFormat, count: number, asFloat: boolean): VoxelData {
  if (asFloat) return new Float32Array(count);
  const signed = pixel.pixelRepresentation === 1;
  if (pixel.bitsAllocated === 8) return signed ? new Int8Array(count) : new Uint8Array(count);
  return signed ? new Int16Array(count) : new Uint16Array(count);
}

/**
 * Writes one frame (little-endian samples) into `out` from `offset`; with `rescale`, the values are stored in
 * source units (the float path for series whose slices scale differently).
 */
export function storeFrame(
  bytes: Uint8Array,
  pixel: PixelFormat,
  out: VoxelData,
  offset: number,
  rescale: { slope: number; intercept: number } | null,
): void {
  const count = pixel.rows * pixel.columns;
  const shift = pixel.highBit + 1 - pixel.bitsStored;
  const bits = pixel.bitsStored;
  const mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const signed = pixel.pixelRepresentation === 1;
  const extend = 32 - bits;
  const invert = pixel.photometricInterpretation === 'MONOCHROME1';
  const wide = pixel.bitsAllocated === 16;
  // The common case — 16-bit words holding 16 stored bits, no inversion, no per-slice rescale — is a copy of the
  // words themselves (the output array has the stored signedness), not a loop over every pixel.
  if (wide && bits === 16 && shift === 0 && !invert && !rescale && (out instanceof Uint16Array || out instanceof Int16Array)) {
    const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
    const words = signed
      ? new Int16Array(aligned.buffer, aligned.byteOffset, count)
      : new Uint16Array(aligned.buffer, aligned.byteOffset, count);
    if ((out instanceof Int16Array) === signed) {
      out.set(words as Int16Array & Uint16Array, offset);
      return;
    }
  }
  for (let p = 0; p < count; p++) {
    let v = wide ? bytes[2 * p]! | (bytes[2 * p + 1]! << 8) : bytes[p]!;
    v = (v >>> shift) & mask;
    if (signed) v = (v << extend) >> extend;
    if (invert) v = signed ? -1 - v : mask - v;
    out[offset + p] = rescale ? v * rescale.slope + rescale.intercept : v;
  }
}
