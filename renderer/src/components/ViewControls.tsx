import { CHANNEL_LABELS, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import type { ChannelUnits } from '../logic/scan-units.js';
import type { OverlaySettings } from './SliceViewer.js';
import { WindowLevelControls } from './WindowLevelControls.js';

interface Props {
  channel: DisplayChannel;
  onChannel(channel: DisplayChannel): void;
  windowLevel: WindowLevel;
  onWindowLevel(next: WindowLevel): void;
  /** The shown channel's source units (a scanner-format patient), or null: 8-bit. */
  units: ChannelUnits | null;
  overlays: OverlaySettings;
  onOverlays(next: OverlaySettings): void;
  zoom: number;
  onZoom(next: number): void;
}

/**
 * Channel, window/level, overlays and zoom; every control also has a key (shown in its title). Three groups that
 * wrap as wholes: a laptop-width viewer gets two rows with every control in sight, rather than one row whose
 * overlay switches have scrolled out of it.
 */
export function ViewControls({ channel, onChannel, windowLevel, onWindowLevel, units, overlays, onOverlays, zoom, onZoom }: Props) {
  const set = (patch: Partial<OverlaySettings>) => onOverlays({ ...overlays, ...patch });
  return (
    <div className="view-controls">
      <span className="view-group" role="group" aria-label="Image">
        <select value={channel} onChange={(e) => onChannel(e.target.value as DisplayChannel)} aria-label="Channel" title="Keys 1–4">
          {(Object.keys(CHANNEL_LABELS) as DisplayChannel[]).map((c) => <option key={c} value={c}>{CHANNEL_LABELS[c]}</option>)}
        </select>
        <WindowLevelControls windowLevel={windowLevel} onWindowLevel={onWindowLevel} units={units} />
      </span>
      <span className="view-group" role="group" aria-label="Overlays">
        <label title="M"><input type="checkbox" checked={overlays.showMask} onChange={() => set({ showMask: !overlays.showMask })} aria-label="Mask overlay" /> Mask</label>
        <input type="range" min={0} max={1} step={0.05} value={overlays.maskOpacity} onChange={(e) => set({ maskOpacity: Number(e.target.value) })} aria-label="Mask opacity" />
        <label title="P"><input type="checkbox" checked={overlays.showPrediction} onChange={() => set({ showPrediction: !overlays.showPrediction })} aria-label="Prediction overlay" /> Prediction</label>
        <select value={overlays.predictionMode} onChange={(e) => set({ predictionMode: e.target.value as OverlaySettings['predictionMode'] })} aria-label="Prediction style">
          <option value="outline">outline</option>
          <option value="heat">heat map</option>
        </select>
        <label title="D"><input type="checkbox" checked={overlays.showDifference} onChange={() => set({ showDifference: !overlays.showDifference })} aria-label="Difference overlay" /> Difference</label>
        <label title="C: where the new model's prediction differs from the previous model's"><input type="checkbox" checked={overlays.showChanges} onChange={() => set({ showChanges: !overlays.showChanges })} aria-label="Changes overlay" /> Model change</label>
      </span>
      <span className="view-group" role="group" aria-label="Zoom">
        <span className="zoom" title="Ctrl+wheel, + / − / 0">{Math.round(zoom * 100)} %</span>
        <button onClick={() => onZoom(1)}>Fit</button>
      </span>
    </div>
  );
}
