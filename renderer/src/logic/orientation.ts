// Where the orientation letters go: at the middle of each edge of the part of the image that is in view. Zoomed
// in, the image's edges leave the viewport and the letters stay at the viewport's edges (still naming the
// direction that edge of the screen faces); panned away entirely, there are none.

/** A rectangle in screen pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Each letter's anchor: the middle of one edge of the visible image (CSS centres the letter just inside it). */
export interface EdgeAnchors {
  left: { x: number; y: number };
  right: { x: number; y: number };
  top: { x: number; y: number };
  bottom: { x: number; y: number };
}

/** The anchors of the letters for an image drawn at `image` in a viewport of `viewport` size, or null if none of it is in view. */
export function edgeAnchors(image: Rect, viewport: { width: number; height: number }): EdgeAnchors | null {
  const left = Math.max(0, image.x);
  const top = Math.max(0, image.y);
  const right = Math.min(viewport.width, image.x + image.width);
  const bottom = Math.min(viewport.height, image.y + image.height);
  if (right - left < 1 || bottom - top < 1) return null;
  const midX = (left + right) / 2;
  const midY = (top + bottom) / 2;
  return {
    left: { x: left, y: midY },
    right: { x: right, y: midY },
    top: { x: midX, y: top },
    bottom: { x: midX, y: bottom },
  };
}
