import { Editor } from '../editing/editor.js';
import { COLORS, grownRegion, maskOverlayRegion } from '../editing/overlays.js';

/** Per-pointer-event work of a brush stroke at one image size. */
export interface EditingTiming {
  events: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Times what the viewer does for each pointer event of a stroke, with the same code: the editor paints the
 * segment since the last event (radius 8, 12 px apart: a brisk mouse) and the mask overlay's RGBA is rebuilt for
 * the rectangle it reports dirty. Drawing that RGBA to the canvas is the browser's work and is in the end-to-end
 * test's figure instead.
 */
export function timeBrushStroke(size: number, events = 400): EditingTiming {
  const editor = new Editor({ save: async () => undefined, saveDelayMs: 60_000 });
  const image = { data: new Uint8Array(size * size * 3), channels: 3 };
  editor.setSlice({ sliceId: 1, width: size, height: size, mask: new Uint8Array(size * size), versionId: null, image, prediction: null });
  editor.setRadius(8);
  const times: number[] = [];
  const at = (k: number) => {
    const angle = (k * 12) / (size / 4); // 12 px of arc per event on a circle of radius size/4
    return { x: size / 2 + (size / 4) * Math.cos(angle), y: size / 2 + (size / 4) * Math.sin(angle) };
  };
  for (let k = 0; k < events; k++) {
    // Strokes of 40 events painting, then 10 erasing, as a radiologist alternates.
    if (k % 50 === 0 || k % 50 === 40) {
      editor.pointerUp();
      editor.setTool(k % 50 === 0 ? 'brush' : 'eraser');
      editor.pointerDown(at(k));
      continue;
    }
    const started = performance.now();
    const dirty = editor.pointerMove(at(k));
    if (dirty && dirty !== 'all') maskOverlayRegion(editor.mask!, size, size, grownRegion(dirty, size, size), COLORS.mask, 0.35);
    times.push(performance.now() - started);
  }
  editor.pointerUp();
  void editor.flush(); // sends the (discarded) saves now rather than holding the process for the save delay
  times.sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(3));
  return {
    events: times.length,
    meanMs: round(times.reduce((s, t) => s + t, 0) / times.length),
    p95Ms: round(times[Math.floor(times.length * 0.95)]!),
    maxMs: round(times[times.length - 1]!),
  };
}
