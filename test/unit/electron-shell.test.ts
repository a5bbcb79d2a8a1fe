// The shell's rules that can be checked without the Electron binary (the launch test covers the rest).
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from '../../electron/menu.js';
import { CONTENT_SECURITY_POLICY, isAppUrl, windowPreferences } from '../../electron/security.js';
import type { MenuCommand } from '../../src/api/contract.js';

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
  it('has the commands of the spec, each with an accelerator', () => {
    const template = menuTemplate(fakeActions(null, false).actions);
    const commands = items(template).filter((i) => i.click);
    expect(commands.map((i) => i.label)).toEqual([
      'Open Patient Folder…', 'Import Dataset…', 'Export Masks…', 'Retrain on Edits', 'Train from Scratch…',
      'Predict This Patient', 'Models…', 'Mask Overlay', 'Prediction Overlay', 'Difference Overlay',
    ]);
    for (const item of commands) expect(item.accelerator, item.label).toBeTruthy();
    expect(new Set(items(template).map((i) => i.accelerator).filter(Boolean)).size).toBe(items(template).filter((i) => i.accelerator).length);
  });

  it('imports the chosen folder through the same request as the browser, and does nothing when cancelled', async () => {
    const chosen = fakeActions('/data/TCGA_CS_6665', true);
    await click(menuTemplate(chosen.actions), 'Open Patient Folder…');
    expect(chosen.sent).toEqual([{ command: 'import-path', path: '/data/TCGA_CS_6665' }]);
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
    expect(accepted.sent).toEqual([{ command: 'train-from-scratch' }]);
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
