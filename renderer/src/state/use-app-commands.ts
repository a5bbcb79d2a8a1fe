import { useState } from 'react';
import { commandById, type CommandId } from '../../../src/contract/commands.js';
import type { RendererApi } from '../../../src/contract/index.js';
import { keyMode } from '../logic/shortcuts.js';
import { useCommands, type CommandHandlers } from './use-commands.js';

/** What the lightbox lets through: moving through the grid, views, help. Edits would change a slice out of sight. */
const LIGHTBOX_SAFE = /^(view|help|palette|tool|brush):|^slice:(previous|next|first|last)$|^click:accept$/;

interface Inputs {
  handlers: Omit<CommandHandlers, 'palette:open' | 'help:close'>;
  lightbox: boolean;
  closeLightbox(): void;
  showHelp: boolean;
  closeHelp(): void;
  setStatus(text: string): void;
  /** Esc with nothing open: drops a click proposal (false when there is none). */
  discardProposal(): boolean;
}

/**
 * Binds the command table to this page: keys and menu, the command palette, the lightbox's rules (arrows move
 * through its grid, `N` closes it and goes, edits wait until it is closed) and, in a browser, the desktop menu's
 * folder and confirm steps (a path field, a confirm box).
 */
export function useAppCommands(api: RendererApi, { handlers, lightbox, closeLightbox, showHelp, closeHelp, setStatus, discardProposal }: Inputs) {
  const [palette, setPalette] = useState(false);
  /** `asking`: the shell has not asked the command's question (a key in a browser, or the palette). */
  const run = (id: CommandId, path?: string, asking = keyMode() === 'browser') => {
    if (lightbox && id === 'slice:next-suggestion') closeLightbox();
    else if (lightbox && !LIGHTBOX_SAFE.test(id)) return setStatus('Close the lightbox (Esc or X) to edit: it shows every slice, not the one being edited.');
    const menu = commandById(id).menu;
    if (path === undefined && menu?.asks && asking) {
      if ('confirm' in menu.asks && !window.confirm(`${menu.asks.confirm}\n\n${menu.asks.detail}`)) return;
      if ('folder' in menu.asks || 'saveFolder' in menu.asks) {
        const what = 'folder' in menu.asks ? menu.asks.folder : menu.asks.saveFolder;
        if (keyMode() === 'desktop') return setStatus(`${what}: ${menu.menu} ▸ ${menu.label} opens the folder dialog.`);
        // A browser has path fields for folders instead of a native dialog: the field is focused.
        document.querySelector<HTMLInputElement>(`[data-field="${'saveFolder' in menu.asks ? 'export' : 'import'}-path"]`)?.focus();
        return setStatus(`${what}: type its path (on the machine running brainseg serve), then press Enter.`);
      }
    }
    handlers[id as keyof typeof handlers](path);
  };
  const all: CommandHandlers = {
    ...(Object.fromEntries(Object.keys(handlers).map((id) => [id, (path?: string) => run(id as CommandId, path)])) as Omit<CommandHandlers, 'palette:open' | 'help:close'>),
    'palette:open': () => setPalette(true),
    'help:close': () => {
      if (showHelp) closeHelp();
      else if (lightbox) closeLightbox();
      else discardProposal();
    },
  };
  useCommands(api, all);
  const runCommand = (id: CommandId) => (id in handlers ? run(id, undefined, true) : all[id]());
  return { palette, closePalette: () => setPalette(false), runCommand };
}
