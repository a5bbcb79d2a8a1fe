// The desktop shell: one window, the menu, and the API contract bound to IPC. Everything else is the core in
// src/ — the same code the CLI and `brainseg serve` run.
import { app, BrowserWindow, dialog, ipcMain, Menu, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, EventPayloads, MenuCommand } from '../src/contract/index.js';
import { createApiService } from '../src/server/handlers.js';
import { ensureBundledInteractiveModel, ensureBundledModel } from '../src/bundled/bundled-model.js';
import { openCatalog, type CatalogDb } from '../src/catalog/db.js';
import { ensureHome, resolveHome } from '../src/home.js';
import { setComputeLauncher } from '../src/compute/host.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { menuTemplate } from './menu.js';
import { electronSqliteBinding } from './native-binding.js';
import { APP_ORIGIN, hardenWebContents, isAppUrl, windowPreferences } from './security.js';
import { utilityProcessCompute } from './compute-launcher.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/electron
const appRoot = path.resolve(here, '../..');

registerAppScheme();
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

let mainWindow: BrowserWindow | null = null;
let db: CatalogDb | null = null;

function send<E extends EventName>(event: E, payload: EventPayloads[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send('brainseg:event', { event, payload });
}

/** Only our own window's top frame, showing our own page, may call the core. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return !!mainWindow && event.sender === mainWindow.webContents && event.senderFrame?.parent === null && isAppUrl(event.senderFrame.url);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1480, height: 940, minWidth: 1000, minHeight: 640, backgroundColor: '#14161a', show: false,
    title: 'BrainSeg Studio',
    webPreferences: windowPreferences(path.join(here, 'preload.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  const home = ensureHome(resolveHome(process.env['BRAINSEG_HOME']));
  db = await openCatalog(home.catalog, undefined, { nativeBinding: electronSqliteBinding(appRoot, app.isPackaged, process.versions.electron) });
  const bundled = await ensureBundledModel(db, home);
  if (bundled.kind === 'unavailable') console.warn(`BrainSeg: ${bundled.reason}`);
  const interactive = await ensureBundledInteractiveModel(db, home);
  if (interactive.kind === 'unavailable') console.warn(`BrainSeg: ${interactive.reason}`);
  setComputeLauncher(utilityProcessCompute);
  serveRenderer(path.join(appRoot, 'dist/renderer'));

  const api = createApiService(db, home, send);
  app.on('will-quit', () => api.close()); // the warm predictor process goes with the app
  ipcMain.handle('brainseg:request', (event, name: unknown, args: unknown) => {
    if (!isTrustedSender(event)) throw new Error('refused: this request did not come from the BrainSeg window');
    return api.call(name, args);
  });

  mainWindow = createWindow();
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    chooseFolder: async (title, forSaving) => {
      if (!mainWindow) return null;
      const result = await dialog.showOpenDialog(mainWindow, { title, properties: forSaving ? ['openDirectory', 'createDirectory'] : ['openDirectory'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    confirm: async (message, detail) => {
      if (!mainWindow) return false;
      const { response } = await dialog.showMessageBox(mainWindow, { type: 'question', message, detail, buttons: ['Train', 'Cancel'], defaultId: 0, cancelId: 1 });
      return response === 0;
    },
    send: (command: MenuCommand) => send('menu:command', command),
    isDevelopment: !app.isPackaged,
  })));
}

app.whenReady().then(start).catch((error: unknown) => {
  dialog.showErrorBox('BrainSeg Studio could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});

app.on('window-all-closed', () => {
  void db?.destroy(); // every saved mask is already committed (synchronous=FULL); closing checkpoints the WAL
  db = null;
  app.quit();
});
