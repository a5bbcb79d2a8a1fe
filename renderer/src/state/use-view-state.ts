import { useCallback, useEffect, useState } from 'react';
import { readStored, writeStored } from '../logic/session-store.js';
import { FULL_RANGE, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import type { OverlaySettings } from '../viewer/use-overlay-layers.js';
import type { CommandHandlers } from './use-commands.js';

export type OverlayToggle = 'showMask' | 'showPrediction' | 'showDifference' | 'showChanges';

type ViewCommand = Extract<keyof CommandHandlers, `view:${string}` | `help:${string}`>;

const isWindowLevel = (v: unknown): v is WindowLevel =>
  typeof v === 'object' && v !== null && Number.isFinite((v as WindowLevel).window) && Number.isFinite((v as WindowLevel).level);

/** What the main view shows and how: channel, window/level, zoom, overlays, folded panels, lightbox, help; and their keys. */
export function useViewState() {
  const [channel, setChannel] = useState<DisplayChannel>('flair');
  // Kept across a reload of the tab, like the patient and slice in the URL.
  const [windowLevel, setWindowLevel] = useState<WindowLevel>(() => readStored('window-level', FULL_RANGE, isWindowLevel));
  useEffect(() => writeStored('window-level', windowLevel), [windowLevel]);
  const [zoom, setZoom] = useState(1);
  const [overlays, setOverlays] = useState<OverlaySettings>({
    showMask: true, showPrediction: true, showDifference: false, showChanges: false, maskOpacity: 0.35, predictionMode: 'outline', threshold: 0.5,
  });
  const [focusMode, setFocusMode] = useState(false);
  const [lightbox, setLightbox] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const toggle = useCallback((key: OverlayToggle) => setOverlays((o) => ({ ...o, [key]: !o[key] })), []);
  const handlers: Pick<CommandHandlers, ViewCommand> = {
    'view:toggle-mask': () => toggle('showMask'),
    'view:toggle-prediction': () => toggle('showPrediction'),
    'view:toggle-difference': () => toggle('showDifference'),
    'view:toggle-changes': () => toggle('showChanges'),
    'view:channel-pre': () => setChannel('pre'),
    'view:channel-flair': () => setChannel('flair'),
    'view:channel-post': () => setChannel('post'),
    'view:channel-rgb': () => setChannel('rgb'),
    'view:reset-window': () => setWindowLevel(FULL_RANGE),
    'view:zoom-in': () => setZoom((z) => Math.min(16, z * 1.25)),
    'view:zoom-out': () => setZoom((z) => Math.max(0.5, z / 1.25)),
    'view:zoom-fit': () => setZoom(1),
    'view:focus': () => setFocusMode((v) => !v),
    'view:lightbox': () => setLightbox((v) => !v),
    'help:toggle': () => setShowHelp((v) => !v),
    'help:close': () => setShowHelp(false),
  };
  return {
    channel, setChannel, windowLevel, setWindowLevel, zoom, setZoom, overlays, setOverlays,
    focusMode, setFocusMode, lightbox, setLightbox, showHelp, setShowHelp, handlers,
  };
}
