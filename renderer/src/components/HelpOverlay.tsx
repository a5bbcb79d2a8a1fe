import { COMMANDS, keyLabel } from '../../../src/api/commands.js';

/** The page's keys, from the command table: the same table the key handler and the desktop menu use. */
const KEYED = COMMANDS.filter((c) => c.keys.length > 0);

/** Every key, shown with `?`. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="help-card">
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {KEYED.map((c) => (
              <tr key={c.id} data-command={c.id}>
                <td>{c.keys.map((k) => <kbd key={k}>{keyLabel(k)}</kbd>)}{'mouse' in c ? <span className="hint"> {c.mouse}</span> : null}</td>
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
