import type { Point } from '../../../src/editing/brush.js';

/** Where the slice is drawn in the viewer: its scale, its top-left corner, and conversions for zooming and pointing. */
export interface ViewGeometry {
  /** Screen pixels per image pixel. */
  scale: number;
  /** The pan in effect (none at zoom 1). */
  offset: Point;
  /** The image's top-left corner on screen. */
  origin: Point;
  /** The pan that puts image point `at` under screen point `pointer` at zoom `nextZoom`. */
  panKeeping(pointer: Point, at: Point, nextZoom: number): Point;
  /** A screen point as an image point (fractional pixels). */
  toImagePoint(pointer: Point): Point;
}

/** The slice fitted to the viewer, zoomed and panned; at zoom 1 it is centred (resetting the zoom undoes panning). */
export function viewGeometry(image: { width: number; height: number } | undefined, viewer: { width: number; height: number }, zoom: number, pan: Point): ViewGeometry {
  const { width, height } = viewer;
  const fit = image ? Math.min(width / image.width, height / image.height) : 1;
  const scale = fit * zoom;
  const offset = zoom === 1 ? { x: 0, y: 0 } : pan;
  const origin = image ? { x: (width - image.width * scale) / 2 + offset.x, y: (height - image.height * scale) / 2 + offset.y } : { x: 0, y: 0 };
  return {
    scale, offset, origin,
    panKeeping: (pointer, at, nextZoom) => {
      const nextScale = fit * nextZoom;
      return {
        x: pointer.x - at.x * nextScale - (width - (image?.width ?? 0) * nextScale) / 2,
        y: pointer.y - at.y * nextScale - (height - (image?.height ?? 0) * nextScale) / 2,
      };
    },
    toImagePoint: (pointer) => ({ x: (pointer.x - origin.x) / scale, y: (pointer.y - origin.y) / scale }),
  };
}
