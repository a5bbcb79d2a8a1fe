import { COLORS, heatColor, type Rgb } from '../../../src/editing/overlays.js';
import type { OverlaySettings } from './SliceViewer.js';

const css = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

/** What each colour on the image means, for the overlays that are on; and the slice strip's dots. */
export function OverlayLegend({ overlays }: { overlays: OverlaySettings }) {
  const heat = `linear-gradient(to right, ${[0.05, 0.3, 0.5, 0.75, 1].map((p) => css(heatColor(p))).join(', ')})`;
  return (
    <div className="overlay-legend" aria-label="Legend">
      {overlays.showMask && <span><i style={{ background: css(COLORS.mask) }} /> mask</span>}
      {overlays.showPrediction && overlays.predictionMode === 'outline' && <span><i style={{ background: css(COLORS.prediction) }} /> prediction (p ≥ {overlays.threshold})</span>}
      {overlays.showPrediction && overlays.predictionMode === 'heat' && <span><i className="ramp" style={{ background: heat }} /> p 0.05 → 1</span>}
      {overlays.showDifference && <span><i style={{ background: css(COLORS.falsePositive) }} /> predicted, not in mask</span>}
      {overlays.showDifference && <span><i style={{ background: css(COLORS.falseNegative) }} /> in mask, missed</span>}
      <span className="strip-legend"><b className="marker lesion" /> lesion slice <b className="marker edited" /> edited <b className="marker approved" /> approved</span>
    </div>
  );
}
