import type Konva from 'konva';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Image as KonvaImage, Layer, Stage } from 'react-konva';
import { CHANNEL_INDEX, channelValue, dragWindowLevel, renderSlice, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import { COLORS, differenceOverlay, maskOverlay, predictionOverlay } from '../logic/overlays.js';
import type { SliceData } from '../state/use-slice-data.js';

export interface OverlaySettings {
  showMask: boolean;
  showPrediction: boolean;
  showDifference: boolean;
  maskOpacity: number;
  predictionMode: 'heat' | 'outline';
  threshold: number;
}

interface Props {
  data: SliceData | null;
  channel: DisplayChannel;
  windowLevel: WindowLevel;
  onWindowLevel(next: WindowLevel): void;
  overlays: OverlaySettings;
  zoom: number;
  onZoom(next: number): void;
  /** Mouse wheel without Ctrl: next/previous slice. */
  onStepSlice(delta: number): void;
  onCursor(readout: string): void;
}

/** Wraps RGBA pixels in a canvas Konva can draw (with no smoothing, so pixels stay square when zoomed). */
function toCanvas(rgba: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return canvas;
}

function useSize(ref: React.RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 512, height: 512 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setSize({ width: element.clientWidth, height: element.clientHeight }));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/**
 * The main view: the slice under window/level with its overlays. Wheel steps slices, Ctrl+wheel zooms,
 * left-drag pans, right-drag sets window/level; the pixel under the cursor is reported.
 */
export function SliceViewer({ data, channel, windowLevel, onWindowLevel, overlays, zoom, onZoom, onStepSlice, onCursor }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const { width, height } = useSize(container);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const drag = useRef<{ kind: 'pan' | 'window'; x: number; y: number; pan: { x: number; y: number }; wl: WindowLevel } | null>(null);

  const image = data?.image;
  const base = useMemo(() => image && toCanvas(renderSlice(image, channel, windowLevel), image.width, image.height), [image, channel, windowLevel]);
  const mask = data?.mask;
  const prediction = data?.prediction;
  const maskLayer = useMemo(
    () => mask && overlays.showMask && toCanvas(maskOverlay(mask.data, mask.width, mask.height, COLORS.mask, overlays.maskOpacity), mask.width, mask.height),
    [mask, overlays.showMask, overlays.maskOpacity],
  );
  const predictionLayer = useMemo(
    () => prediction && overlays.showPrediction && toCanvas(
      predictionOverlay(prediction.data, prediction.width, prediction.height, { mode: overlays.predictionMode, threshold: overlays.threshold, opacity: 0.6 }),
      prediction.width, prediction.height),
    [prediction, overlays.showPrediction, overlays.predictionMode, overlays.threshold],
  );
  const differenceLayer = useMemo(
    () => prediction && mask && overlays.showDifference &&
      toCanvas(differenceOverlay(mask.data, prediction.data, mask.width, mask.height, overlays.threshold, 0.75).overlay, mask.width, mask.height),
    [mask, prediction, overlays.showDifference, overlays.threshold],
  );

  // Record when a slice reached the screen: the end-to-end test reads it to measure key-press-to-image latency.
  useEffect(() => {
    if (!data) return;
    const frame = requestAnimationFrame(() => {
      container.current?.setAttribute('data-shown-slice', String(data.sliceId));
      window.dispatchEvent(new CustomEvent('brainseg:slice-shown', { detail: { sliceId: data.sliceId, at: performance.now() } }));
    });
    return () => cancelAnimationFrame(frame);
  }, [data, base]);

  const fit = image ? Math.min(width / image.width, height / image.height) : 1;
  const scale = fit * zoom;
  // At zoom 1 the slice is centred: resetting the zoom also undoes any panning.
  const offset = zoom === 1 ? { x: 0, y: 0 } : pan;
  const origin = image ? { x: (width - image.width * scale) / 2 + offset.x, y: (height - image.height * scale) / 2 + offset.y } : { x: 0, y: 0 };

  const readout = (stage: Konva.Stage | null) => {
    const pointer = stage?.getPointerPosition();
    if (!pointer || !image) return;
    const x = Math.floor((pointer.x - origin.x) / scale);
    const y = Math.floor((pointer.y - origin.y) / scale);
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) {
      onCursor('');
      return;
    }
    const value = channel === 'rgb'
      ? [0, 1, 2].map((c) => channelValue(image, x, y, c)).join(' / ')
      : String(channelValue(image, x, y, CHANNEL_INDEX[channel]));
    const inMask = mask?.data[y * image.width + x] ? ' · in mask' : '';
    const p = prediction?.data[y * image.width + x];
    onCursor(`x ${x}, y ${y} · value ${value}${inMask}${p !== undefined ? ` · p ${(p / 255).toFixed(2)}` : ''}`);
  };

  const layer = (canvas: HTMLCanvasElement | false | null | undefined, name: string) =>
    canvas ? <KonvaImage name={name} image={canvas} x={origin.x} y={origin.y} scaleX={scale} scaleY={scale} imageSmoothingEnabled={false} listening={false} /> : null;

  return (
    <div className="viewer" ref={container} data-testid="viewer" onContextMenu={(e) => e.preventDefault()}>
      <Stage
        width={width}
        height={height}
        onWheel={(e) => {
          e.evt.preventDefault();
          if (e.evt.ctrlKey || e.evt.metaKey) onZoom(Math.max(0.5, Math.min(16, zoom * (e.evt.deltaY < 0 ? 1.25 : 0.8))));
          else onStepSlice(e.evt.deltaY > 0 ? 1 : -1);
        }}
        onMouseDown={(e) => {
          drag.current = { kind: e.evt.button === 2 ? 'window' : 'pan', x: e.evt.clientX, y: e.evt.clientY, pan: offset, wl: windowLevel };
        }}
        onMouseMove={(e) => {
          const d = drag.current;
          if (d?.kind === 'pan') setPan({ x: d.pan.x + e.evt.clientX - d.x, y: d.pan.y + e.evt.clientY - d.y });
          else if (d?.kind === 'window') onWindowLevel(dragWindowLevel(d.wl, e.evt.clientX - d.x, d.y - e.evt.clientY));
          readout(e.target.getStage());
        }}
        onMouseUp={() => (drag.current = null)}
        onMouseLeave={() => {
          drag.current = null;
          onCursor('');
        }}
      >
        <Layer imageSmoothingEnabled={false}>
          {layer(base, 'image')}
          {layer(maskLayer, 'mask')}
          {layer(predictionLayer, 'prediction')}
          {layer(differenceLayer, 'difference')}
        </Layer>
      </Stage>
    </div>
  );
}
