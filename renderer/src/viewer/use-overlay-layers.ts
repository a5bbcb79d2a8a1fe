import type Konva from 'konva';
import { useLayoutEffect, useMemo, useState } from 'react';
import type { Dirty } from '../../../src/editing/editor.js';
import { COLORS, differenceOverlay, grownRegion, maskOverlay, maskOverlayRegion, modelChangeOverlay, predictionOverlay } from '../../../src/editing/overlays.js';
import type { PredictionPixels, SliceImage } from '../../../src/contract/index.js';
import { CHANGE_MAP, DIFFERENCE_MAP, recolour } from '../logic/overlay-colours.js';
import { renderSlice, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import { toCanvas } from './canvas.js';

export interface OverlaySettings {
  showMask: boolean;
  showPrediction: boolean;
  showDifference: boolean;
  /** Where the new model's prediction differs from the previous model's (after a retrain). */
  showChanges: boolean;
  maskOpacity: number;
  predictionMode: 'heat' | 'outline';
  threshold: number;
}

const DIFFERENCE_OPACITY = 0.6;

interface Inputs {
  image: SliceImage | undefined;
  /** What the mask layer shows: the working mask, or a version previewed from the history. */
  mask: Uint8Array | null;
  prediction: PredictionPixels | null | undefined;
  preview: Uint8Array | null;
  previousPrediction: Uint8Array | null;
  overlays: OverlaySettings;
  channel: DisplayChannel;
  windowLevel: WindowLevel;
  /** Changes with the working mask's pixels. */
  revision: number;
  maskNode: React.RefObject<Konva.Image | null>;
}

/**
 * The canvases the viewer's layers draw: the slice under window/level, the prediction (outline or heat map), the
 * difference and model-change views, and the mask — the last one painted in place, as a stroke goes.
 */
export function useOverlayLayers({ image, mask, prediction, preview, previousPrediction, overlays, channel, windowLevel, revision, maskNode }: Inputs) {
  const base = useMemo(() => image && toCanvas(renderSlice(image, channel, windowLevel), image.width, image.height), [image, channel, windowLevel]);

  // One canvas for the mask overlay, painted in place: a stroke repaints it on every pointer event, so allocating
  // one per event is too slow. Because its identity never changes, Konva cannot notice new pixels by itself:
  // every paint is followed by an explicit layer redraw (paintMask), never left to a prop change.
  const [maskCanvas] = useState(() => document.createElement('canvas'));
  const maskVisible = Boolean(mask && image && overlays.showMask);
  const maskColor = preview ? COLORS.prediction : COLORS.mask;

  /**
   * Paints the working mask (or the previewed version) into the mask canvas — only the rectangle an edit
   * touched, or all of it — and redraws its layer.
   */
  const paintMask = (immediate: boolean, dirty: Dirty = 'all') => {
    if (!mask || !image || !overlays.showMask || dirty === null) return;
    if (dirty === 'all') toCanvas(maskOverlay(mask, image.width, image.height, maskColor, overlays.maskOpacity), image.width, image.height, maskCanvas);
    else {
      const region = grownRegion(dirty, image.width, image.height);
      const rgba = maskOverlayRegion(mask, image.width, image.height, region, maskColor, overlays.maskOpacity);
      maskCanvas.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, region.width, region.height), region.x, region.y);
    }
    const layer = maskNode.current?.getLayer();
    if (immediate) layer?.draw();
    else layer?.batchDraw();
  };
  // Runs after react-konva has mounted or updated the mask node (children commit first), for every input that
  // changes what the overlay shows: another slice or patient, an in-place edit (editor.tick), a history preview
  // starting or ending, opacity.
  useLayoutEffect(() => paintMask(false), [mask, revision, image, overlays.showMask, overlays.maskOpacity, preview]);

  const predictionLayer = useMemo(
    () => prediction && overlays.showPrediction && toCanvas(
      predictionOverlay(prediction.data, prediction.width, prediction.height, { mode: overlays.predictionMode, threshold: overlays.threshold, opacity: 0.6 }),
      prediction.width, prediction.height),
    [prediction, overlays.showPrediction, overlays.predictionMode, overlays.threshold],
  );
  const differenceLayer = useMemo(
    () => prediction && mask && overlays.showDifference &&
      // Semi-transparent: the anatomy under a disagreement stays readable.
      toCanvas(recolour(differenceOverlay(mask, prediction.data, prediction.width, prediction.height, overlays.threshold, DIFFERENCE_OPACITY).overlay, DIFFERENCE_MAP), prediction.width, prediction.height),
    [mask, revision, prediction, overlays.showDifference, overlays.threshold],
  );
  const changesLayer = useMemo(
    () => prediction && previousPrediction && overlays.showChanges &&
      toCanvas(recolour(modelChangeOverlay(previousPrediction, prediction.data, overlays.threshold), CHANGE_MAP), prediction.width, prediction.height),
    [prediction, previousPrediction, overlays.showChanges, overlays.threshold],
  );
  return { base, predictionLayer, differenceLayer, changesLayer, maskCanvas, maskVisible, paintMask };
}
