import { COMMANDS, keyLabel, keysOf } from '../../../src/contract/commands.js';
import { keyMode } from '../logic/shortcuts.js';

/** Every key, shown with `?`: the keys of this mode (a browser tab has its own for the desktop menu's Ctrl shortcuts). */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const mode = keyMode();
  const keyed = COMMANDS.map((c) => ({ command: c, keys: keysOf(c, mode) })).filter((k) => k.keys.length > 0);
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="help-card">
        <h2>Keyboard shortcuts{mode === 'browser' ? ' (in a browser)' : ''}</h2>
        <table>
          <tbody>
            {keyed.map(({ command: c, keys }) => (
              <tr key={c.id} data-command={c.id}>
                <td>{keys.map((k) => <kbd key={k}>{keyLabel(k)}</kbd>)}{'mouse' in c ? <span className="hint"> {c.mouse}</span> : null}</td>
                <td>{c.help}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">Every finished stroke is saved as a new mask version as soon as it ends. Click anywhere to close.</p>
      </div>
    </div>
  );
}
