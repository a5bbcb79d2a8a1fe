import { TOOL_LIST } from './tools.js';

// Every command of the workstation in one table: the page's key handler, the help overlay (`?`) and the Electron
// menu are all generated from it, so a key or a label is changed in one place.

/** Where a command sits in the desktop menu. */
export interface MenuPlacement {
  menu: 'File' | 'Edit' | 'Model' | 'View';
  label: string;
  /** Shown in the menu. Page keys (single letters) are handled by the page, not registered with the OS. */
  accelerator: string;
  /** What the shell asks before sending the command: a folder to read, a folder to write, or a yes/no. */
  asks?: { folder: string } | { saveFolder: string } | { confirm: string; detail: string };
  /** Starts a new group in its menu. */
  separatorBefore?: boolean;
}

export interface Command {
  id: string;
  /** What it does, as the help overlay says it. */
  help: string;
  /**
   * Page keys in every mode, as `KeyboardEvent.key` with a `Ctrl+` / `Ctrl+Shift+` prefix where held (Cmd counts as
   * Ctrl); a letter with Shift held is `Shift+r` (Caps Lock alone never makes one).
   */
  keys: readonly string[];
  /**
   * Page keys in a browser tab instead of the menu's Ctrl shortcut, which the browser keeps for itself there (Ctrl+R
   * reloads, Ctrl+P prints, Ctrl+E searches).
   */
  browserKeys?: readonly string[];
  /** Mouse gestures that do the same, for the help overlay. */
  mouse?: string;
  menu?: MenuPlacement;
}

const pageKey = (label: string, key: string, menu: MenuPlacement['menu'], separatorBefore = false): MenuPlacement =>
  ({ menu, label, accelerator: key, ...(separatorBefore && { separatorBefore }) });

export const COMMANDS = [
  // File and Model: desktop menu items with Ctrl shortcuts; a browser keeps those keys, so it has keys of its own
  // (and buttons and path fields).
  { id: 'file:open-patient', help: 'open a patient folder', keys: [], menu: { menu: 'File', label: 'Open Patient Folder…', accelerator: 'CmdOrCtrl+O', asks: { folder: 'Open a patient folder' } } },
  { id: 'file:import-dataset', help: 'import a dataset folder (one folder per patient)', keys: [], browserKeys: ['Shift+o'], menu: { menu: 'File', label: 'Import Dataset…', accelerator: 'CmdOrCtrl+Shift+O', asks: { folder: 'Import a dataset folder (one folder per patient)' } } },
  { id: 'file:export-masks', help: 'export the current masks in the dataset layout', keys: [], browserKeys: ['Shift+e'], menu: { menu: 'File', label: 'Export Masks…', accelerator: 'CmdOrCtrl+E', asks: { saveFolder: 'Export masks to a folder' } } },
  { id: 'model:retrain', help: 'fine-tune the active model on the edits (time-budgeted)', keys: [], browserKeys: ['Shift+r'], menu: { menu: 'Model', label: 'Retrain on Edits', accelerator: 'CmdOrCtrl+R' } },
  {
    id: 'model:train-from-scratch', help: 'train a new model from random weights', keys: [],
    menu: {
      menu: 'Model', label: 'Train from Scratch…', accelerator: 'CmdOrCtrl+Shift+R',
      asks: { confirm: 'Train a new model from random weights?', detail: 'This ignores the active model and takes tens of minutes on a CPU. The active model stays until the new one is better.' },
    },
  },
  { id: 'model:predict-patient', help: 'predict every slice of this patient with the active model', keys: [], browserKeys: ['Shift+p'], menu: { menu: 'Model', label: 'Predict This Patient', accelerator: 'CmdOrCtrl+P' } },
  { id: 'model:show-models', help: 'show the model versions', keys: [], browserKeys: ['Shift+m'], menu: { menu: 'Model', label: 'Models…', accelerator: 'CmdOrCtrl+M' } },

  // Tools.
  ...TOOL_LIST.map((t) => ({ id: `tool:${t.id}` as const, help: `${t.label}: ${t.help}`, keys: [t.key] })),
  { id: 'brush:smaller', help: 'brush smaller', keys: ['['] },
  { id: 'brush:larger', help: 'brush larger', keys: [']'] },

  // Editing (each one undo step).
  { id: 'edit:undo', help: 'undo (per slice)', keys: ['Ctrl+z'], menu: pageKey('Undo', 'CmdOrCtrl+Z', 'Edit') },
  { id: 'edit:redo', help: 'redo (per slice)', keys: ['Ctrl+Shift+z', 'Ctrl+y'], menu: pageKey('Redo', 'CmdOrCtrl+Shift+Z', 'Edit') },
  { id: 'edit:accept-prediction', help: 'accept the prediction for the whole slice', keys: ['a'], menu: pageKey('Accept Prediction', 'A', 'Edit', true) },
  { id: 'edit:fill-holes', help: 'fill holes', keys: ['h'], menu: pageKey('Fill Holes', 'H', 'Edit') },
  { id: 'edit:copy-previous', help: "copy the previous slice's mask", keys: [','], menu: pageKey("Copy Previous Slice's Mask", ',', 'Edit') },
  { id: 'edit:copy-next', help: "copy the next slice's mask", keys: ['.'], menu: pageKey("Copy Next Slice's Mask", '.', 'Edit') },
  { id: 'edit:clear', help: "clear the slice's mask", keys: ['Delete'], menu: pageKey('Clear Slice', 'Delete', 'Edit') },
  { id: 'click:accept', help: 'click tool: accept the proposal as the slice\'s mask (Esc discards it)', keys: ['Enter'] },
  {
    id: 'click:propagate', help: "propagate: carry the slice's mask to the neighbouring slices while the lesion goes on (one undo)",
    keys: ['Shift+k'], menu: pageKey('Propagate Mask to Neighbours', 'Shift+K', 'Edit'),
  },
  { id: 'edit:approve', help: "approve the slice's saved mask as its second reader (not your own)", keys: ['r'], menu: pageKey('Approve Slice', 'R', 'Edit', true) },

  // Moving through the patient.
  { id: 'slice:previous', help: 'previous slice', keys: ['ArrowUp', 'PageUp'], mouse: 'wheel up' },
  { id: 'slice:next', help: 'next slice', keys: ['ArrowDown', 'PageDown'], mouse: 'wheel down' },
  { id: 'slice:first', help: 'first slice', keys: ['Home'] },
  { id: 'slice:last', help: 'last slice', keys: ['End'] },
  { id: 'slice:next-suggestion', help: 'next suggested slice not yet reviewed (edited or approved)', keys: ['n'] },

  // What is shown.
  { id: 'view:toggle-mask', help: 'mask overlay on / off', keys: ['m'], menu: pageKey('Mask Overlay', 'M', 'View') },
  { id: 'view:toggle-prediction', help: 'prediction overlay on / off', keys: ['p'], menu: pageKey('Prediction Overlay', 'P', 'View') },
  { id: 'view:toggle-difference', help: 'difference overlay (mask vs. prediction) on / off', keys: ['d'], menu: pageKey('Difference Overlay', 'D', 'View') },
  { id: 'view:toggle-changes', help: 'what the last retrain changed on / off', keys: ['c'], menu: pageKey('Model Changes Overlay', 'C', 'View') },
  { id: 'view:channel-pre', help: 'pre-contrast channel', keys: ['1'] },
  { id: 'view:channel-flair', help: 'FLAIR channel', keys: ['2'] },
  { id: 'view:channel-post', help: 'post-contrast channel', keys: ['3'] },
  { id: 'view:channel-rgb', help: 'all three channels as RGB', keys: ['4'] },
  { id: 'view:reset-window', help: 'reset window/level', keys: ['w'], mouse: 'right-drag sets it' },
  { id: 'view:zoom-in', help: 'zoom in', keys: ['+', '='], mouse: 'Ctrl+wheel (toward the cursor)' },
  { id: 'view:zoom-out', help: 'zoom out', keys: ['-'] },
  { id: 'view:zoom-fit', help: 'fit the slice', keys: ['0'] },
  { id: 'view:focus', help: 'hide / show the side panels (a larger image)', keys: ['\\'], menu: pageKey('Hide Panels', '\\', 'View', true) },
  { id: 'view:lightbox', help: 'lightbox: every slice with its mask at once (arrows pick, Enter opens, Esc closes)', keys: ['x'], menu: pageKey('Lightbox', 'X', 'View') },
  { id: 'help:toggle', help: 'this help', keys: ['?'] },
  { id: 'help:close', help: 'close the help, the lightbox or the command list; discard a click proposal', keys: ['Escape'] },
  { id: 'palette:open', help: 'every command with its key: type to find one, Enter runs it', keys: ['Ctrl+k'] },
] as const satisfies readonly Command[];

/** Every command's id. */
export type CommandId = (typeof COMMANDS)[number]['id'];

/** The modifier state and key of a key press (a KeyboardEvent has these fields). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** A key press as the table spells it: `a`, `?`, `ArrowUp`, `Shift+r`, `Ctrl+z`, `Ctrl+Shift+z`; null for Alt chords. */
export function chordOf(press: KeyPress): string | null {
  if (press.altKey) return null;
  if (!press.ctrlKey && !press.metaKey) return press.shiftKey && /^[a-z]$/i.test(press.key) ? `Shift+${press.key.toLowerCase()}` : press.key;
  return `Ctrl+${press.shiftKey ? 'Shift+' : ''}${press.key.length === 1 ? press.key.toLowerCase() : press.key}`;
}

/** Where the page runs: the desktop app (its menu takes the Ctrl shortcuts) or a browser tab. */
export type KeyMode = 'desktop' | 'browser';

/** A menu accelerator as the table spells keys: `CmdOrCtrl+Shift+R` → `Ctrl+Shift+r`. */
function acceleratorChord(accelerator: string): string | null {
  if (!accelerator.startsWith('CmdOrCtrl+')) return null;
  const parts = accelerator.split('+');
  const key = parts.pop()!;
  return [...parts.map((p) => (p === 'CmdOrCtrl' ? 'Ctrl' : p)), key.length === 1 ? key.toLowerCase() : key].join('+');
}

/** The keys that run a command in a mode: the page's keys the page handles, plus the menu's in the desktop app. */
export function keysOf(command: Command, mode: KeyMode): string[] {
  const menuKey = mode === 'desktop' && command.menu ? acceleratorChord(command.menu.accelerator) : null;
  return [...(menuKey ? [menuKey] : []), ...command.keys, ...(mode === 'browser' ? command.browserKeys ?? [] : [])];
}

const chordMap = (mode: KeyMode) => new Map<string, CommandId>(COMMANDS.flatMap((c: Command & { id: CommandId }) =>
  [...c.keys, ...(mode === 'browser' ? c.browserKeys ?? [] : [])].map((k) => [k, c.id] as const)));
const BY_CHORD: Record<KeyMode, Map<string, CommandId>> = { desktop: chordMap('desktop'), browser: chordMap('browser') };

/** The command a key press runs on the page, if any (in the desktop app the menu runs its own Ctrl shortcuts). */
export function commandForKey(press: KeyPress, mode: KeyMode = 'desktop'): CommandId | null {
  const chord = chordOf(press);
  return (chord !== null && BY_CHORD[mode].get(chord)) || null;
}

/** A command of the table by id. */
export function commandById(id: CommandId): Command {
  return COMMANDS.find((c) => c.id === id)!;
}

const KEY_NAMES: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ' ': 'Space' };

/** How the help overlay writes a key: `↑`, `Ctrl+Shift+Z`, `A`. */
export function keyLabel(key: string): string {
  return key.split('+').map((part) => KEY_NAMES[part] ?? (part.length === 1 ? part.toUpperCase() : part)).join('+');
}
