import { TOOLS } from './EditTools.js';

const KEYS: [string, string][] = [
  ['↑ / ↓, wheel', 'previous / next slice'], ['Home / End', 'first / last slice'], ['N', 'next suggested slice to fix'],
  ['[ / ]', 'brush smaller / larger'], ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo (per slice)'],
  ['A', 'accept the prediction for the whole slice'], ['H', 'fill holes'], [', / .', "copy the previous / next slice's mask"],
  ['Delete', "clear the slice's mask"], ['M / P / D / C', 'mask / prediction / difference / model-change overlays'],
  ['1 2 3 4', 'pre-contrast, FLAIR, post-contrast, RGB'], ['Right-drag, W', 'window/level, reset it'],
  ['Ctrl+wheel, + − 0', 'zoom, fit'], ['\\', 'hide / show the side panels (a larger image)'], ['X', 'lightbox: every slice with its mask at once'], ['?', 'this help'],
];

/** Every key, shown with `?`. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="help-card">
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {TOOLS.map((t) => <tr key={t.tool}><td><kbd>{t.key.toUpperCase()}</kbd></td><td>{t.label}: {t.help}</td></tr>)}
            {KEYS.map(([key, what]) => <tr key={key}><td><kbd>{key}</kbd></td><td>{what}</td></tr>)}
          </tbody>
        </table>
        <p className="hint">Every finished stroke is saved as a new mask version as soon as it ends. Click anywhere to close.</p>
      </div>
    </div>
  );
}
