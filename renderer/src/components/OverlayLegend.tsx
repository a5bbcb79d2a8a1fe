import { COLORS, heatColor, type Rgb } from '../../../src/editing/overlays.js';
import { OVERLAY_COLOURS } from '../logic/overlay-colours.js';
import { CLICK_COLOURS } from '../../../src/editing/click-overlay.js';
import type { OverlaySettings } from './SliceViewer.js';

const css = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

const Swatch = ({ colour, children }: { colour: Rgb; children: React.ReactNode }) => <span><i style={{ background: css(colour) }} /> {children}</span>;

interface Props {
  overlays: OverlaySettings;
  /** The model-change view's two models: the new (active) one and the one it is compared with; null when none. */
  changes: { from: number; to: number | null } | null;
  /** A click proposal is on screen (the click tool). */
  clicking: boolean;
}

/** What each colour on the image means, for every overlay that is on; and the slice strip's dots. */
export function OverlayLegend({ overlays, changes, clicking }: Props) {
  const heat = `linear-gradient(to right, ${[0.05, 0.3, 0.5, 0.75, 1].map((p) => css(heatColor(p))).join(', ')})`;
  const to = changes?.to === null || changes?.to === undefined ? 'the new model' : `model ${changes.to}`;
  return (
    <div className="overlay-legend" aria-label="Legend" data-testid="overlay-legend">
      {overlays.showMask && <Swatch colour={COLORS.mask}>mask</Swatch>}
      {overlays.showPrediction && overlays.predictionMode === 'outline' && <Swatch colour={COLORS.prediction}>prediction outline (p ≥ {overlays.threshold})</Swatch>}
      {overlays.showPrediction && overlays.predictionMode === 'heat' && <span data-testid="heat-legend"><i className="ramp" style={{ background: heat }} /> prediction p 0.05 → 1</span>}
      {overlays.showDifference && <Swatch colour={OVERLAY_COLOURS.predictedNotInMask}>predicted, not in mask</Swatch>}
      {overlays.showDifference && <Swatch colour={OVERLAY_COLOURS.inMaskMissed}>in mask, missed</Swatch>}
      {overlays.showChanges && changes && <Swatch colour={OVERLAY_COLOURS.changeAdded}>{to} adds (vs model {changes.from})</Swatch>}
      {overlays.showChanges && changes && <Swatch colour={OVERLAY_COLOURS.changeDropped}>{to} drops (vs model {changes.from})</Swatch>}
      {overlays.showChanges && !changes && <span data-testid="changes-none">model changes: no earlier model to compare with yet (retrain or activate another)</span>}
      {clicking && <Swatch colour={CLICK_COLOURS.proposal}>click proposal (Enter accepts, Esc discards)</Swatch>}
      {clicking && <Swatch colour={CLICK_COLOURS.positive}>lesion click</Swatch>}
      {clicking && <Swatch colour={CLICK_COLOURS.negative}>not-lesion click</Swatch>}
      <span className="strip-legend"><b className="marker lesion" /> lesion slice <b className="marker edited" /> edited <b className="marker approved" /> approved</span>
    </div>
  );
}
