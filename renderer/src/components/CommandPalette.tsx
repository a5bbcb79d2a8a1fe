import { useMemo, useState } from 'react';
import { COMMANDS, keyLabel, keysOf, type CommandId } from '../../../src/contract/commands.js';
import { keyMode } from '../logic/shortcuts.js';

interface Props {
  onRun(id: CommandId): void;
  onClose(): void;
}

/** What the palette lists: every command of the table, with its keys in this mode ("" when it has none). */
const ENTRIES = () => COMMANDS.filter((c) => c.id !== 'palette:open' && c.id !== 'help:close')
  .map((c) => ({ id: c.id as CommandId, help: c.help, label: 'menu' in c ? c.menu.label : '', keys: keysOf(c, keyMode()).map(keyLabel) }));

/** Ctrl+K: every command with its key, found by typing; Enter (or a click) runs it, Esc closes. */
export function CommandPalette({ onRun, onClose }: Props) {
  const [entries] = useState(ENTRIES);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return entries.filter((e) => words.every((w) => `${e.label} ${e.help} ${e.keys.join(' ')}`.toLowerCase().includes(w)));
  }, [entries, query]);
  const run = (id: CommandId | undefined) => {
    onClose();
    if (id) onRun(id);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
    else if (e.key === 'Enter') run(shown[selected]?.id);
    else if (e.key === 'ArrowDown') setSelected((i) => Math.min(shown.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="palette-backdrop" onClick={onClose}>
      <div className="palette" role="dialog" aria-label="Commands" data-testid="command-palette" onClick={(e) => e.stopPropagation()}>
        <input autoFocus value={query} placeholder="Type a command…" aria-label="Find a command" onKeyDown={onKey}
          onChange={(e) => { setQuery(e.target.value); setSelected(0); }} />
        <ul>
          {shown.map((e, i) => (
            <li key={e.id}>
              <button className={i === selected ? 'selected' : ''} data-command={e.id} onClick={() => run(e.id)} onMouseEnter={() => setSelected(i)}>
                <span>{e.label || e.help}</span>
                <span className="keys">{e.keys.map((k) => <kbd key={k}>{k}</kbd>)}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
