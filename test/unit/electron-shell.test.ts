// The shell's rules that can be checked without the Electron binary (the launch test covers the rest).
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from '../../electron/menu.js';
import { COMMANDS } from '../../src/contract/commands.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, hardenWebContents, isAppUrl, windowPreferences } from '../../electron/security.js';
import { REPO_ROOT } from '../helpers/sample-data.js';
import type { MenuCommand } from '../../src/contract/index.js';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

function fakeActions(folder: string | null, confirmed: boolean) {
  const sent: MenuCommand[] = [];
  const actions: MenuActions = {
    chooseFolder: async () => folder,
    confirm: async () => confirmed,
    send: (command) => sent.push(command),
    isDevelopment: false,
  };
  return { actions, sent };
}

async function click(template: MenuItemConstructorOptions[], label: string): Promise<void> {
  const item = items(template).find((i) => i.label === label);
  expect(item, label).toBeDefined();
  await (item!.click as unknown as () => Promise<void> | void)();
}

describe('the application menu', () => {
  it('has the commands of the spec, each with an accelerator, generated from the command table', () => {
    const template = menuTemplate(fakeActions(null, false).actions);
    const commands = items(template).filter((i) => i.click);
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'Model', 'View']);
    expect(commands.map((i) => i.label)).toEqual(expect.arrayContaining([
      'Open Patient Folder…', 'Import Dataset…', 'Export Masks…', 'Retrain on Edits', 'Train from Scratch…',
      'Predict This Patient', 'Models…', 'Mask Overlay', 'Prediction Overlay', 'Difference Overlay', 'Undo', 'Accept Prediction',
    ]));
    // Exactly the table's menu entries, in the table's order.
    expect(commands.map((i) => i.label)).toEqual(
      ['File', 'Edit', 'Model', 'View'].flatMap((menu) => COMMANDS.flatMap((c) => ('menu' in c && c.menu.menu === menu ? [c.menu.label] : []))));
    // Single keys are the page's: shown, never registered with the OS (typing "m" in a field must not toggle the mask).
    expect(items(template).find((i) => i.label === 'Mask Overlay')).toMatchObject({ accelerator: 'M', registerAccelerator: false });
    expect(items(template).find((i) => i.label === 'Retrain on Edits')?.registerAccelerator).toBeUndefined();
    for (const item of commands) expect(item.accelerator, item.label).toBeTruthy();
    expect(new Set(items(template).map((i) => i.accelerator).filter(Boolean)).size).toBe(items(template).filter((i) => i.accelerator).length);
  });

  it('imports the chosen folder through the same request as the browser, and does nothing when cancelled', async () => {
    const chosen = fakeActions('/data/TCGA_CS_6665', true);
    await click(menuTemplate(chosen.actions), 'Open Patient Folder…');
    expect(chosen.sent).toEqual([{ command: 'file:open-patient', path: '/data/TCGA_CS_6665' }]);
    const cancelled = fakeActions(null, true);
    await click(menuTemplate(cancelled.actions), 'Export Masks…');
    expect(cancelled.sent).toEqual([]);
  });

  it('asks before training from scratch', async () => {
    const declined = fakeActions(null, false);
    await click(menuTemplate(declined.actions), 'Train from Scratch…');
    expect(declined.sent).toEqual([]);
    const accepted = fakeActions(null, true);
    await click(menuTemplate(accepted.actions), 'Train from Scratch…');
    expect(accepted.sent).toEqual([{ command: 'model:train-from-scratch' }]);
  });
});

describe('window security settings', () => {
  it('isolates and sandboxes the page with no Node', () => {
    expect(windowPreferences('/p/preload.cjs')).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, webSecurity: true,
    });
  });

  it('has a CSP without inline or remote scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('recognises only the app origin as its own', () => {
    expect(isAppUrl('app://brainseg/index.html')).toBe(true);
    for (const url of ['https://brainseg/index.html', 'app://evil/index.html', 'file:///etc/passwd', 'not a url']) expect(isAppUrl(url)).toBe(false);
  });
});

describe('the shell\'s locks', () => {
  it('blocks navigation of every frame, redirects, popups and webviews, and denies permission requests and checks', () => {
    const handlers = new Map<string, (event: { preventDefault(): void; url?: string }, url?: string) => void>();
    let openHandler: (() => { action: string }) | null = null;
    let permissionRequest: ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | null = null;
    let permissionCheck: (() => boolean) | null = null;
    const contents = {
      on: (name: string, handler: (event: { preventDefault(): void }, url?: string) => void) => handlers.set(name, handler),
      setWindowOpenHandler: (handler: () => { action: string }) => (openHandler = handler),
      session: {
        setPermissionRequestHandler: (handler: typeof permissionRequest) => (permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof permissionCheck) => (permissionCheck = handler),
      },
    };
    hardenWebContents(contents as unknown as Parameters<typeof hardenWebContents>[0]);
    const prevented = (name: string, url: string) => {
      let blocked = false;
      handlers.get(name)!({ preventDefault: () => (blocked = true), url }, url);
      return blocked;
    };
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(prevented(name, 'https://evil.example/'), name).toBe(true);
      expect(prevented(name, 'app://brainseg/index.html'), name).toBe(false);
    }
    expect(prevented('will-attach-webview', 'app://brainseg/')).toBe(true);
    expect(openHandler!()).toEqual({ action: 'deny' });
    let granted: boolean | null = null;
    permissionRequest!(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(permissionCheck!()).toBe(false);
  });

  it('packages with the fuses off that would let the binary run as Node, take NODE_OPTIONS or --inspect, or load outside its asar', () => {
    const yml = readFileSync(path.join(REPO_ROOT, 'build/electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?: {2}\w+: (?:true|false)\n?)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries([...block.matchAll(/(\w+): (true|false)/g)].map((m) => [m[1], m[2] === 'true']));
    expect(fuses).toMatchObject({
      runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true,
    });
  });
});
