import type { MenuItemConstructorOptions } from 'electron';
import { COMMANDS, type Command, type MenuPlacement } from '../src/contract/commands.js';
import type { MenuCommand } from '../src/contract/index.js';

/** What the menu does, supplied by main (dialogs live there; everything else is forwarded to the UI). */
export interface MenuActions {
  /** A native folder dialog; null when the user cancels. */
  chooseFolder(title: string, forSaving: boolean): Promise<string | null>;
  confirm(message: string, detail: string): Promise<boolean>;
  send(command: MenuCommand): void;
  isDevelopment: boolean;
}

const MENUS: MenuPlacement['menu'][] = ['File', 'Edit', 'Model', 'View'];

/** A page key is a single key without Ctrl (M, Delete, \): the page handles it, so typing into a field is safe. */
function isPageKey(accelerator: string): boolean {
  return !accelerator.includes('CmdOrCtrl');
}

/** One menu item: ask what the command needs (a folder, a yes), then send it to the UI. */
function menuItem(command: Command & { menu: MenuPlacement }, actions: MenuActions): MenuItemConstructorOptions {
  const { label, accelerator, asks } = command.menu;
  const id = command.id as MenuCommand['command'];
  const click = async () => {
    if (asks && 'folder' in asks) {
      const path = await actions.chooseFolder(asks.folder, false);
      if (path) actions.send({ command: id, path });
    } else if (asks && 'saveFolder' in asks) {
      const path = await actions.chooseFolder(asks.saveFolder, true);
      if (path) actions.send({ command: id, path });
    } else if (asks && 'confirm' in asks) {
      if (await actions.confirm(asks.confirm, asks.detail)) actions.send({ command: id });
    } else actions.send({ command: id });
  };
  // Page keys are shown in the menu but not registered with the OS (typing an "m" into a field must not toggle the
  // mask); Ctrl+Z is the page's own per-slice undo, registered so the menu and the key do the same.
  return { label, accelerator, ...(isPageKey(accelerator) && { registerAccelerator: false }), click: () => void click() };
}

/** The application menu, generated from the command table (src/contract/commands.ts) plus the shell's own roles. */
export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const withMenu = COMMANDS.filter((c): c is (typeof COMMANDS)[number] & { menu: MenuPlacement } => 'menu' in c);
  const items = (menu: MenuPlacement['menu']): MenuItemConstructorOptions[] => withMenu
    .filter((c) => c.menu.menu === menu)
    .flatMap((c) => [...(c.menu.separatorBefore ? [{ type: 'separator' } as const] : []), menuItem(c, actions)]);
  const roles: Record<MenuPlacement['menu'], MenuItemConstructorOptions[]> = {
    File: [{ type: 'separator' }, { role: 'quit', accelerator: 'CmdOrCtrl+Q' }],
    Edit: [],
    Model: [],
    View: [
      { type: 'separator' },
      { role: 'togglefullscreen', accelerator: 'F11' },
      ...(actions.isDevelopment ? [{ role: 'toggleDevTools', accelerator: 'CmdOrCtrl+Shift+I' } as const] : []),
    ],
  };
  return MENUS.map((menu) => ({ label: menu, submenu: [...items(menu), ...roles[menu]] }));
}
