// Launches the real desktop app where the Electron binary exists; elsewhere says clearly that it was skipped.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

type Bridge = { brainseg: { request(name: string, args: unknown): Promise<unknown> } };

function electronBinary(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    const binary = existsSync(pathFile) ? path.join(dir, 'dist', readFileSync(pathFile, 'utf8')) : null;
    return binary && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const nativeBuild = existsSync(path.join(REPO_ROOT, '.electron-native/electron-version'));
if (!binary || !nativeBuild) {
  console.warn(`SKIPPED Electron launch test: ${!binary ? 'the Electron binary is not downloaded (no internet when installing)' : 'run `npm start` once to build better-sqlite3 for Electron'}`);
}

describe.runIf(binary && nativeBuild)('the Electron shell', () => {
  let app: ElectronApplication;

  beforeAll(async () => {
    app = await _electron.launch({ executablePath: binary!, args: [REPO_ROOT], env: { ...process.env, BRAINSEG_HOME: tempDir.persistent() } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens a sandboxed, isolated window with no Node in the page', async () => {
    const page = await app.firstWindow();
    // getLastWebPreferences is undocumented (absent from Electron's typings) but present at run time.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> };
      const p = contents.getLastWebPreferences();
      return { contextIsolation: p['contextIsolation'], sandbox: p['sandbox'], nodeIntegration: p['nodeIntegration'], webviewTag: p['webviewTag'] };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(page.url()).toMatch(/^app:\/\/brainseg\//);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require + typeof (globalThis as { process?: unknown }).process)).toBe('undefinedundefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { brainseg?: object }).brainseg ?? {}).sort())).toEqual(['on', 'request']);
  });

  it('blocks navigation away from the app and new windows', async () => {
    const page = await app.firstWindow();
    const before = page.url();
    await page.evaluate(() => { window.location.href = 'https://example.com/'; }).catch(() => undefined);
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  it('answers contract calls through the preload and rejects malformed ones', async () => {
    const page = await app.firstWindow();
    expect(await page.evaluate(() => (window as unknown as Bridge).brainseg.request('catalog:list-patients', {}))).toEqual([]);
    await expect(page.evaluate(() => (window as unknown as Bridge).brainseg.request('catalog:list-slices', { patientId: 'x' }))).rejects.toThrow(/patientId/);
  });
});
