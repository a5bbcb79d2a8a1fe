import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { BinaryMask } from './binary-mask.js';

// Stored layout: 4-byte magic+version, uint16 width, uint16 height, then the mask packed 8 pixels per byte
// and deflated. A 256×256 lesion mask packs to 8 KiB and deflates to a few hundred bytes.
const MAGIC = 0x424d3101; // "BM1" + format version 1
const HEADER_BYTES = 8;

/** Packs and compresses a binary mask for storage. Any non-zero pixel counts as foreground. */
export function encodeMask(mask: BinaryMask): Buffer {
  const { width, height, data } = mask;
  if (data.length !== width * height) {
    throw new Error(`mask has ${data.length} pixels but claims to be ${width}×${height}`);
  }
  if (width > 0xffff || height > 0xffff) throw new Error(`mask ${width}×${height} is too large to store`);
  const packed = new Uint8Array(Math.ceil(data.length / 8));
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0) packed[i >> 3]! |= 0x80 >> (i & 7);
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(MAGIC, 0);
  header.writeUInt16BE(width, 4);
  header.writeUInt16BE(height, 6);
  return Buffer.concat([header, deflateRawSync(packed, { level: 6 })]);
}

/** Reverses {@link encodeMask}: returns one byte per pixel, 0 or 1. */
export function decodeMask(blob: Uint8Array): BinaryMask {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buffer.length < HEADER_BYTES || buffer.readUInt32BE(0) !== MAGIC) {
    throw new Error('stored mask is not in a format this BrainSeg understands');
  }
  const width = buffer.readUInt16BE(4);
  const height = buffer.readUInt16BE(6);
  const packed = inflateRawSync(buffer.subarray(HEADER_BYTES));
  const data = new Uint8Array(width * height);
  if (packed.length !== Math.ceil(data.length / 8)) throw new Error('stored mask is truncated');
  for (let i = 0; i < data.length; i++) data[i] = (packed[i >> 3]! >> (7 - (i & 7))) & 1;
  return { width, height, data };
}

/** Counts foreground pixels. */
export function countForeground(data: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  return count;
}
