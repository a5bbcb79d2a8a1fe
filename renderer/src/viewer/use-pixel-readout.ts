import { useEffect, useRef } from 'react';
import type { PredictionPixels, SliceImage } from '../../../src/contract/index.js';
import type { Point } from '../../../src/editing/brush.js';
import { CHANNEL_INDEX, channelValue, type DisplayChannel } from '../logic/display.js';
import { pixelValueText, type ChannelUnits } from '../logic/scan-units.js';

interface Inputs {
  image: SliceImage | undefined;
  mask: Uint8Array | null;
  prediction: PredictionPixels | null | undefined;
  channel: DisplayChannel;
  /** The shown channel's source units: the value is read out in them. */
  units: ChannelUnits | null;
  /** Changes with the working mask's pixels. */
  revision: number;
  onCursor(readout: string): void;
}

/**
 * The readout of the pixel under the cursor: coordinates, the shown channel's value (in the source's units for a
 * scanner-format patient), mask membership and the model's probability. It remembers where the pointer last was
 * over the image: a slice change (key, wheel, N) under a still mouse updates it too, or it would describe the
 * previous slice.
 */
export function usePixelReadout({ image, mask, prediction, channel, units, revision, onCursor }: Inputs) {
  const lastPointer = useRef<Point | null>(null);
  const readout = (p: Point | null) => {
    lastPointer.current = p;
    if (!p || !image) return;
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) {
      onCursor('');
      return;
    }
    const values = channel === 'rgb' ? [0, 1, 2].map((c) => channelValue(image, x, y, c)) : [channelValue(image, x, y, CHANNEL_INDEX[channel])];
    const inMask = mask?.[y * image.width + x] ? ' · in mask' : '';
    const q = prediction?.data[y * image.width + x];
    onCursor(`x ${x}, y ${y} · value ${pixelValueText(values, units)}${inMask}${q !== undefined ? ` · p ${(q / 255).toFixed(2)}` : ''}`);
  };

  useEffect(() => {
    if (lastPointer.current) readout(lastPointer.current);
    // readout reads exactly these; it is recreated every render, so it is not a dependency itself.
  }, [image, mask, revision, prediction, channel, units]);

  const leave = () => {
    lastPointer.current = null;
    onCursor('');
  };
  return { readout, leave };
}
