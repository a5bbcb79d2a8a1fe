// NIfTI datatype codes → the typed array our Volume holds. Only the scalar types an MR image comes in are read;
// the others (complex, RGB, 64-bit integers, float128) are refused by name, so the user knows what to convert.
import type { VoxelData } from '../../../imaging/volume/volume.js';

export interface VoxelType {
  name: string;
  bytes: number;
  /** A view of `length` voxels at `byteOffset` (the offset must be a multiple of `bytes`). */
  view(buffer: ArrayBufferLike, byteOffset: number, length: number): VoxelData;
}

const SUPPORTED: Record<number, VoxelType> = {
  2: { name: 'uint8', bytes: 1, view: (b, o, n) => new Uint8Array(b, o, n) },
  256: { name: 'int8', bytes: 1, view: (b, o, n) => new Int8Array(b, o, n) },
  4: { name: 'int16', bytes: 2, view: (b, o, n) => new Int16Array(b, o, n) },
  512: { name: 'uint16', bytes: 2, view: (b, o, n) => new Uint16Array(b, o, n) },
  8: { name: 'int32', bytes: 4, view: (b, o, n) => new Int32Array(b, o, n) },
  768: { name: 'uint32', bytes: 4, view: (b, o, n) => new Uint32Array(b, o, n) },
  16: { name: 'float32', bytes: 4, view: (b, o, n) => new Float32Array(b, o, n) },
  64: { name: 'float64', bytes: 8, view: (b, o, n) => new Float64Array(b, o, n) },
};

const UNSUPPORTED: Record<number, string> = {
  0: 'unknown (0)',
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1024: 'int64',
  1280: 'uint64',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

/** The voxel type of a datatype code, or the reason it cannot be read. */
export function voxelTypeOf(code: number): VoxelType | string {
  const type = SUPPORTED[code];
  if (type) return type;
  const name = UNSUPPORTED[code] ?? `code ${code}`;
  return `datatype ${name} is not supported (convert it to int16, uint16 or float32)`;
}

/** Reverses the byte order of every element in place (big-endian files on our little-endian CPUs); native speed. */
export function swapBytesInPlace(bytes: Uint8Array, elementSize: number): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (elementSize === 2) buffer.swap16();
  else if (elementSize === 4) buffer.swap32();
  else if (elementSize === 8) buffer.swap64();
}
