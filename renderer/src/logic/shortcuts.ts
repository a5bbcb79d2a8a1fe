import { commandById, keyLabel, keysOf, type CommandId, type KeyMode } from '../../../src/contract/commands.js';

// The page's key mode is fixed for its lifetime (the desktop app or a browser tab), so it is set once at start
// and read by every tooltip: a tooltip shows the key that works where it is shown.
let mode: KeyMode = 'desktop';

export function setKeyMode(next: KeyMode): void {
  mode = next;
}

export function keyMode(): KeyMode {
  return mode;
}

/** The keys of a command in this mode, as shown (`Shift+R`, `Ctrl+R`), joined by " / "; '' when it has none. */
export function shortcut(id: CommandId): string {
  return keysOf(commandById(id), mode).map(keyLabel).join(' / ');
}

/** A tooltip with the command's key in this mode appended, when it has one. */
export function withShortcut(text: string, id: CommandId): string {
  const keys = shortcut(id);
  return keys ? `${text} (${keys})` : text;
}
