import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../src/api/contract.js';

/** What the menu does, supplied by main (dialogs live there; everything else is forwarded to the UI). */
export interface MenuActions {
  /** A native folder dialog; null when the user cancels. */
  chooseFolder(title: string, forSaving: boolean): Promise<string | null>;
  confirm(message: string, detail: string): Promise<boolean>;
  send(command: MenuCommand): void;
  isDevelopment: boolean;
}

/**
 * The application menu. Every command has an accelerator; the single-letter overlay keys are shown in the menu
 * but handled by the page (registerAccelerator: false), so typing an "m" into the search box does not toggle
 * the mask.
 */
export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const importFrom = (title: string) => async () => {
    const folder = await actions.chooseFolder(title, false);
    if (folder) actions.send({ command: 'import-path', path: folder });
  };
  const pageKey = (label: string, accelerator: string, command: MenuCommand): MenuItemConstructorOptions =>
    ({ label, accelerator, registerAccelerator: false, click: () => actions.send(command) });
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open Patient Folder…', accelerator: 'CmdOrCtrl+O', click: importFrom('Open a patient folder') },
        { label: 'Import Dataset…', accelerator: 'CmdOrCtrl+Shift+O', click: importFrom('Import a dataset folder (one folder per patient)') },
        {
          label: 'Export Masks…', accelerator: 'CmdOrCtrl+E',
          click: async () => {
            const folder = await actions.chooseFolder('Export masks to a folder', true);
            if (folder) actions.send({ command: 'export-masks', path: folder });
          },
        },
        { type: 'separator' },
        { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      label: 'Model',
      submenu: [
        { label: 'Retrain on Edits', accelerator: 'CmdOrCtrl+R', click: () => actions.send({ command: 'retrain' }) },
        {
          label: 'Train from Scratch…', accelerator: 'CmdOrCtrl+Shift+R',
          click: async () => {
            if (await actions.confirm('Train a new model from random weights?', 'This ignores the active model and takes tens of minutes on a CPU. The active model stays until the new one is better.')) {
              actions.send({ command: 'train-from-scratch' });
            }
          },
        },
        { label: 'Predict This Patient', accelerator: 'CmdOrCtrl+P', click: () => actions.send({ command: 'predict-patient' }) },
        { label: 'Models…', accelerator: 'CmdOrCtrl+M', click: () => actions.send({ command: 'show-models' }) },
      ],
    },
    {
      label: 'View',
      submenu: [
        pageKey('Mask Overlay', 'M', { command: 'toggle-mask' }),
        pageKey('Prediction Overlay', 'P', { command: 'toggle-prediction' }),
        pageKey('Difference Overlay', 'D', { command: 'toggle-difference' }),
        { type: 'separator' },
        { role: 'togglefullscreen', accelerator: 'F11' },
        ...(actions.isDevelopment ? [{ role: 'toggleDevTools', accelerator: 'CmdOrCtrl+Shift+I' } as const] : []),
      ],
    },
  ];
}
