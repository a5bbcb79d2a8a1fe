import { scaleBar } from '../logic/scale-bar.js';

/** The longest a bar gets: a quarter of the viewer, at most 160 px, so it never hides much of the image. */
const LONGEST_PX = 160;

interface Props {
  /** The patient's pixel size (mm); null when unknown (LGG TIFFs carry none until it is entered). */
  pixelMm: number | null;
  /** Screen pixels per image pixel: the fitted size times the zoom. */
  scale: number;
  viewerWidth: number;
}

/**
 * A scale bar at the viewer's bottom left, recomputed at every zoom; without a pixel size it says so instead of
 * drawing a bar from a guessed spacing.
 */
export function ScaleBar({ pixelMm, scale, viewerWidth }: Props) {
  const bar = scaleBar(pixelMm, scale, Math.min(LONGEST_PX, viewerWidth / 4));
  if (!bar) {
    return <div className="scale-bar unknown" data-testid="scale-bar" title="Enter the pixel size under the image to get a scale bar">scale unknown: no pixel size</div>;
  }
  return (
    <div className="scale-bar" data-testid="scale-bar" data-mm={bar.mm} title={`${bar.mm} mm at a pixel size of ${pixelMm} mm`}>
      <span className="scale-bar-line" data-testid="scale-bar-line" style={{ width: `${bar.px}px` }} />
      <span className="scale-bar-label">{bar.mm} mm</span>
    </div>
  );
}
