import { CHANNEL_LABELS, FULL_RANGE, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import type { OverlaySettings } from './SliceViewer.js';

interface Props {
  channel: DisplayChannel;
  onChannel(channel: DisplayChannel): void;
  windowLevel: WindowLevel;
  onWindowLevel(next: WindowLevel): void;
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
export function ViewControls({ channel, onChannel, windowLevel, onWindowLevel, overlays, onOverlays, zoom, onZoom }: Props) {
  const set = (patch: Partial<OverlaySettings>) => onOverlays({ ...overlays, ...patch });
  return (
    <div className="view-controls">
      <span className="view-group" role="group" aria-label="Image">
        <select value={channel} onChange={(e) => onChannel(e.target.value as DisplayChannel)} aria-label="Channel" title="Keys 1–4">
          {(Object.keys(CHANNEL_LABELS) as DisplayChannel[]).map((c) => <option key={c} value={c}>{CHANNEL_LABELS[c]}</option>)}
        </select>
        <label title="Right-drag on the image: horizontal = window, vertical = level">W
          <input type="range" min={1} max={512} value={windowLevel.window} onChange={(e) => onWindowLevel({ ...windowLevel, window: Number(e.target.value) })} aria-label="Window" />
          <input type="number" className="wl-value" min={1} max={512} value={windowLevel.window} aria-label="Window value"
            onChange={(e) => { const v = Number(e.target.value); if (v >= 1 && v <= 512) onWindowLevel({ ...windowLevel, window: v }); }} />
        </label>
        <label>L
          <input type="range" min={0} max={255} value={windowLevel.level} onChange={(e) => onWindowLevel({ ...windowLevel, level: Number(e.target.value) })} aria-label="Level" />
          <input type="number" className="wl-value" min={0} max={255} value={windowLevel.level} aria-label="Level value"
            onChange={(e) => { const v = Number(e.target.value); if (e.target.value !== '' && v >= 0 && v <= 255) onWindowLevel({ ...windowLevel, level: v }); }} />
        </label>
        <button onClick={() => onWindowLevel(FULL_RANGE)} title="W">Reset W/L</button>
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
