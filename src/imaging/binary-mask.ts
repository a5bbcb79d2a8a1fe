/** A binary mask: one byte per pixel, 0 or 1, row-major. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}
