import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3's native module is built for Node's ABI (the CLI and tests use it). In development the shell
 * loads a second build made for Electron's ABI by `bin/start.js` (build/electron-native.mjs) into
 * .electron-native/; a packaged app has its node_modules rebuilt for Electron by electron-builder instead.
 */
export function electronSqliteBinding(appRoot: string, isPackaged: boolean, electronVersion: string): string | undefined {
  if (isPackaged) return undefined;
  const dir = path.join(appRoot, '.electron-native');
  const binding = path.join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const stamp = path.join(dir, 'electron-version');
  if (!existsSync(binding) || !existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== electronVersion) {
    throw new Error(`no better-sqlite3 build for Electron ${electronVersion} in ${dir}: start the app with \`npm start\`, which builds it`);
  }
  return binding;
}
