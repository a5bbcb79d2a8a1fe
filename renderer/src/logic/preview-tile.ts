import type { PreviewTile } from '../../../src/contract/index.js';

/** The mask's colour in a preview tile, blended half and half with the image so the anatomy stays visible. */
export const PREVIEW_MASK_RGB = [255, 0, 0] as const;

/**
 * A preview tile as RGBA for a canvas: the network's three input channels as red, green and blue (as the LGG
 * TIFFs store them), and where the mask is 1 the average of that pixel and {@link PREVIEW_MASK_RGB}.
 */
export function previewTilePixels(tile: PreviewTile, size: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    for (let k = 0; k < 3; k++) {
      const value = tile.image[i * 3 + k]!;
      out[i * 4 + k] = tile.mask[i] ? (value + PREVIEW_MASK_RGB[k]!) >> 1 : value;
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** A draw in words, for the tile's caption: "flip · ×1.04 · −7°". */
export function describeDraw(draw: { flip: boolean; scale: number; rotationDegrees: number }): string {
  const angle = Math.round(draw.rotationDegrees);
  return `${draw.flip ? 'flip · ' : ''}×${draw.scale.toFixed(2)} · ${angle < 0 ? '−' : ''}${Math.abs(angle)}°`;
}
