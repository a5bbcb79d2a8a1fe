// Turns a slice's 8-bit channels into the RGBA the viewer draws, under the chosen channel and window/level.
// Pure functions on typed arrays: tested without a canvas.

/** What the main view shows. In the LGG layout the TIFF's channels are pre-contrast, FLAIR, post-contrast. */
export type DisplayChannel = 'pre' | 'flair' | 'post' | 'rgb';

export const CHANNEL_INDEX: Record<Exclude<DisplayChannel, 'rgb'>, number> = { pre: 0, flair: 1, post: 2 };

export const CHANNEL_LABELS: Record<DisplayChannel, string> = {
  pre: 'Pre-contrast', flair: 'FLAIR', post: 'Post-contrast', rgb: 'RGB composite',
};

/** Window width and centre in 8-bit pixel units. */
export interface WindowLevel {
  window: number;
  level: number;
}

export const FULL_RANGE: WindowLevel = { window: 256, level: 128 };

/** A slice's pixels: `channels` interleaved bytes per pixel, row-major. */
export interface PixelImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** The 256-entry lookup table of a window: values below it are black, above it white, linear between. */
export function windowLookup({ window, level }: WindowLevel): Uint8Array {
  const width = Math.max(1, window);
  const low = level - width / 2;
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = Math.max(0, Math.min(255, Math.round(((v - low) / width) * 255)));
  return table;
}

/** The value of one channel of a pixel (a single-channel image answers with its only channel). */
export function channelValue(image: PixelImage, x: number, y: number, channel: number): number {
  const c = image.channels === 1 ? 0 : Math.min(channel, image.channels - 1);
  return image.data[(y * image.width + x) * image.channels + c] ?? 0;
}

/** The RGBA pixels of a slice as displayed: one channel in grey, or the composite, through the window. */
export function renderSlice(image: PixelImage, channel: DisplayChannel, windowLevel: WindowLevel): Uint8ClampedArray {
  const { width, height, channels, data } = image;
  const lut = windowLookup(windowLevel);
  const out = new Uint8ClampedArray(width * height * 4);
  const single = channel !== 'rgb' && channels > 1 ? Math.min(CHANNEL_INDEX[channel], channels - 1) : 0;
  for (let i = 0, p = 0; i < width * height; i++, p += channels) {
    const o = i * 4;
    if (channel === 'rgb' && channels >= 3) {
      out[o] = lut[data[p]!]!;
      out[o + 1] = lut[data[p + 1]!]!;
      out[o + 2] = lut[data[p + 2]!]!;
    } else {
      const v = lut[data[p + single]!]!;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
    }
    out[o + 3] = 255;
  }
  return out;
}

/**
 * Window/level after a right-drag by (dx, dy) screen pixels, as in radiology viewers: horizontal widens the
 * window, vertical moves the level (dragging up brightens).
 */
export function dragWindowLevel(start: WindowLevel, dx: number, dy: number): WindowLevel {
  return {
    window: Math.max(1, Math.min(512, Math.round(start.window + dx))),
    level: Math.max(0, Math.min(255, Math.round(start.level + dy))),
  };
}
