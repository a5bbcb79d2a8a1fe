/**
 * A binary mask as 1-bit Pixel Data (PS3.5 8.1.1 and 8.2): the first pixel in the lowest bit of the first byte.
 * Frames follow each other without padding to a byte boundary, and the whole is padded to an even length.
 * The mask's order (i fastest, then j, then k) is already the frames' order (column fastest, then row, then
 * frame), so packing is a straight walk.
 */
export function packBits(mask: Uint8Array): Uint8Array {
  const bytes = Math.ceil(mask.length / 8);
  const packed = new Uint8Array(bytes + (bytes % 2));
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] !== 0) packed[p >> 3]! |= 1 << (p & 7);
  }
  return packed;
}
