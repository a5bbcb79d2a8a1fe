import { useEffect, useRef } from 'react';
import { commandForKey, type CommandId } from '../../../src/contract/commands.js';
import type { MenuCommand, RendererApi } from '../../../src/contract/index.js';
import { keyMode } from '../logic/shortcuts.js';

/** What each command does on this page; a command given a folder (open, import, export) receives it. */
export type CommandHandlers = { [Id in CommandId]: (path?: string) => void };

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

/**
 * Runs the command table's commands from the keyboard and from the desktop menu: one key handler for every key,
 * looked up in the table (src/contract/commands.ts), never a switch of its own. Keys typed into a field are the field's.
 */
export function useCommands(api: RendererApi, handlers: CommandHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const command = commandForKey(e, keyMode());
      if (!command) return;
      e.preventDefault();
      current.current[command]();
    };
    window.addEventListener('keydown', onKey);
    const offMenu = api.on('menu:command', (m: MenuCommand) => current.current[m.command](m.path));
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu();
    };
  }, [api]);
}
