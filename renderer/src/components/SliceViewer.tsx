import type Konva from 'konva';
import { memo, useRef, useState } from 'react';
import { Circle, Image as KonvaImage, Layer, Line, Stage } from 'react-konva';
import type { Point } from '../../../src/editing/brush.js';
import { BRUSH_TOOLS } from '../../../src/editing/tools/tool-list.js';
import type { PatientScanInfo } from '../../../src/contract/index.js';
import { dragWindowLevel, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import type { ChannelUnits } from '../logic/scan-units.js';
import type { EditorHandle } from '../state/use-editor.js';
import type { SliceData } from '../state/use-slice-data.js';
import { useSize } from '../viewer/canvas.js';
import { viewGeometry } from '../viewer/view-geometry.js';
import { useOverlayLayers, type OverlaySettings } from '../viewer/use-overlay-layers.js';
import { usePixelReadout } from '../viewer/use-pixel-readout.js';
import { useClickLayer } from '../viewer/use-click-layer.js';
import { useShownSliceSignal } from '../viewer/use-shown-slice-signal.js';
import { ScaleBar } from './ScaleBar.js';
import { OrientationLetters } from './OrientationLetters.js';
import { WheelAccumulator, wheelPixels } from '../logic/wheel.js';

export type { OverlaySettings } from '../viewer/use-overlay-layers.js';

interface Props {
  data: SliceData | null;
  editing: EditorHandle;
  /** The previous model's prediction of this slice, for the "what changed" view. */
  previousPrediction: Uint8Array | null;
  /** A mask version previewed from the history panel (drawn instead of the working mask). */
  preview: Uint8Array | null;
  channel: DisplayChannel;
  /** The shown channel's source units (a scanner-format patient): the readout is in them. */
  units: ChannelUnits | null;
  /** Edge letters of a patient with an orientation (NIfTI, DICOM); null for LGG TIFFs. */
  edges: PatientScanInfo['edges'] | null;
  /** The patient's pixel size (mm), for the scale bar; null when unknown. */
  pixelMm: number | null;
  windowLevel: WindowLevel;
  onWindowLevel(next: WindowLevel): void;
  overlays: OverlaySettings;
  zoom: number;
  onZoom(next: number): void;
  /** Mouse wheel without Ctrl: next/previous slice. */
  onStepSlice(delta: number): void;
  onCursor(readout: string): void;
  onMessage(message: string): void;
}

/** Per-pointer-event editing work (ms), kept for the end-to-end test and the README's figure. */
declare global { interface Window { brainsegStrokeTimings?: number[] } }

const BRUSH_CURSOR = '#ffffff';
const ERASER_CURSOR = '#ff5c5c';
/**
 * The main view: the slice under window/level with its overlays. It converts pointer positions to image pixels
 * and draws; the editor (src/editing/editor.ts) decides what a press, move or release does. Wheel steps slices,
 * Ctrl+wheel zooms; with the navigate tool left-drag pans (middle-drag pans with any tool); right-drag sets
 * window/level. The pixel under the cursor is reported.
 */
export const SliceViewer = memo(function SliceViewer(props: Props) {
  const { data, editing: { editor, state }, channel, windowLevel, onWindowLevel, overlays, zoom, onZoom, onStepSlice, onCursor, onMessage } = props;
  const container = useRef<HTMLDivElement>(null);
  const { width, height } = useSize(container);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [lassoPoints, setLassoPoints] = useState<number[]>([]);
  const drag = useRef<{ kind: 'pan' | 'window' | 'edit'; x: number; y: number; pan: { x: number; y: number }; wl: WindowLevel } | null>(null);
  const maskNode = useRef<Konva.Image>(null);
  const cursorNode = useRef<Konva.Circle>(null);
  const wheel = useRef(new WheelAccumulator());

  const image = data?.image;
  const mask = props.preview ?? editor.mask;
  const prediction = data?.prediction;
  const { base, predictionLayer, differenceLayer, changesLayer, maskCanvas, maskVisible, paintMask } = useOverlayLayers({
    image, mask, prediction, preview: props.preview, previousPrediction: props.previousPrediction, overlays, channel, windowLevel, revision: state.revision, maskNode,
  });

  useShownSliceSignal(container, data, base);

  const outline = overlays.predictionMode === 'outline';
  const { scale, offset, origin, panKeeping, toImagePoint } = viewGeometry(image, { width, height }, zoom, pan);
  const toImage = (stage: Konva.Stage | null): Point | null => {
    const pointer = stage?.getPointerPosition();
    return pointer ? toImagePoint(pointer) : null;
  };

  const clickLayer = useClickLayer(state, image, data?.sliceId);
  const { readout, leave } = usePixelReadout({ image, mask, prediction, channel, units: props.units, revision: state.revision, onCursor });

  /** The per-event work of a stroke: the editor paints the segment, the viewer redraws what it touched, timed. */
  const continueStroke = (p: Point) => {
    const started = performance.now();
    paintMask(true, editor.pointerMove(p));
    const timings = (window.brainsegStrokeTimings ??= []);
    if (timings.length < 5000) timings.push(performance.now() - started);
  };

  const moveCursor = (stage: Konva.Stage | null) => {
    const pointer = stage?.getPointerPosition();
    const node = cursorNode.current;
    if (!node) return;
    node.visible(!!pointer && BRUSH_TOOLS.has(state.tool));
    if (pointer) node.position(pointer);
    node.radius(state.radius * scale);
    // The eraser's ring is red and dashed, the painting tools' solid white: which one is in hand shows at a glance.
    const erasing = state.tool === 'eraser';
    node.stroke(erasing ? ERASER_CURSOR : BRUSH_CURSOR);
    node.dash(erasing ? [4, 3] : []);
    node.getLayer()?.batchDraw();
  };

  const layer = (canvas: HTMLCanvasElement | false | null | undefined, name: string, ref?: React.Ref<Konva.Image>) =>
    canvas ? <KonvaImage ref={ref} name={name} image={canvas} x={origin.x} y={origin.y} scaleX={scale} scaleY={scale} imageSmoothingEnabled={false} listening={false} /> : null;

  return (
    <div className={`viewer tool-${state.tool}`} data-editor-path={state.path} ref={container} data-testid="viewer" onContextMenu={(e) => e.preventDefault()}>
      <Stage
        width={width}
        height={height}
        onWheel={(e) => {
          e.evt.preventDefault();
          if (e.evt.ctrlKey || e.evt.metaKey) {
            const next = Math.max(0.5, Math.min(16, zoom * (e.evt.deltaY < 0 ? 1.25 : 0.8)));
            const pointer = e.target.getStage()?.getPointerPosition();
            // Zoom toward the cursor: the image point under it stays under it.
            if (pointer && image) setPan(panKeeping(pointer, toImage(e.target.getStage())!, next));
            onZoom(next);
          }
          else {
            const steps = wheel.current.add(wheelPixels(e.evt.deltaY, e.evt.deltaMode));
            if (steps !== 0) onStepSlice(steps);
          }
        }}
        onMouseDown={(e) => {
          const start = { x: e.evt.clientX, y: e.evt.clientY, pan: offset, wl: windowLevel };
          const p = toImage(e.target.getStage());
          // The click tool takes the right button as a negative click; elsewhere right-drag sets window/level.
          if (e.evt.button === 2 && state.tool !== 'click') drag.current = { kind: 'window', ...start };
          else if (e.evt.button === 1 || state.tool === 'navigate') drag.current = { kind: 'pan', ...start };
          else if (p) {
            const outcome = editor.pointerDown(p, { erase: e.evt.shiftKey || e.evt.altKey || e.evt.button === 2 });
            if (outcome.message) onMessage(outcome.message);
            if (!outcome.handled) return;
            drag.current = { kind: 'edit', ...start };
            paintMask(true, outcome.dirty);
            if (state.tool === 'lasso') setLassoPoints([e.evt.offsetX, e.evt.offsetY]);
          }
        }}
        onMouseMove={(e) => {
          const d = drag.current;
          const stage = e.target.getStage();
          const p = toImage(stage);
          if (d?.kind === 'pan') setPan({ x: d.pan.x + e.evt.clientX - d.x, y: d.pan.y + e.evt.clientY - d.y });
          else if (d?.kind === 'window') onWindowLevel(dragWindowLevel(d.wl, e.evt.clientX - d.x, d.y - e.evt.clientY));
          else if (d?.kind === 'edit' && p) {
            continueStroke(p);
            if (state.tool === 'lasso') setLassoPoints((points) => [...points, e.evt.offsetX, e.evt.offsetY]);
          }
          moveCursor(stage);
          readout(p);
        }}
        onMouseUp={() => {
          const d = drag.current;
          drag.current = null;
          if (d?.kind !== 'edit') return;
          paintMask(true, editor.pointerUp());
          setLassoPoints([]);
        }}
        onMouseLeave={() => {
          if (drag.current?.kind === 'edit') paintMask(true, editor.pointerLeave());
          setLassoPoints([]);
          drag.current = null;
          moveCursor(null);
          leave();
        }}
      >
        <Layer imageSmoothingEnabled={false} listening={false}>{layer(base, 'image')}</Layer>
        {/* The heat map under the mask, the outline over it: under the translucent yellow fill a cyan line read as green. */}
        <Layer imageSmoothingEnabled={false} listening={false}>
          {layer(outline ? null : predictionLayer, 'prediction')}
          {layer(differenceLayer, 'difference')}
          {layer(changesLayer, 'changes')}
        </Layer>
        <Layer imageSmoothingEnabled={false} listening={false}>
          {layer(maskVisible ? maskCanvas : null, 'mask', maskNode)}
        </Layer>
        <Layer imageSmoothingEnabled={false} listening={false}>{layer(outline ? predictionLayer : null, 'prediction')}</Layer>
        {/* Five layers at most (Konva's advice): the click proposal shares the pointer's layer. */}
        <Layer imageSmoothingEnabled={false} listening={false}>
          {layer(clickLayer, 'click-proposal')}
          <Line points={lassoPoints} stroke="#ffffff" strokeWidth={1} dash={[4, 3]} closed={false} />
          <Circle ref={cursorNode} name="brush-cursor" radius={state.radius * scale} stroke={BRUSH_CURSOR} strokeWidth={1} visible={false} />
        </Layer>
      </Stage>
      {image && <OrientationLetters edges={props.edges} image={{ ...origin, width: image.width * scale, height: image.height * scale }} viewport={{ width, height }} />}
      {image && <ScaleBar pixelMm={props.pixelMm} scale={scale} viewerWidth={width} />}
    </div>
  );
});
