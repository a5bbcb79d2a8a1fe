// Builds better-sqlite3 for Electron's ABI into .electron-native/, beside (not instead of) the Node build the
// CLI and tests use. Electron's documented npm route: install with runtime=electron and Electron's headers.
// Needs the internet once (prebuilt binary or headers); later starts reuse the stamp.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Returns null when the Electron build is ready, else a one-line reason it could not be made. */
export function ensureElectronSqlite(electronVersion) {
  const dir = path.join(root, '.electron-native');
  const stamp = path.join(dir, 'electron-version');
  const binding = path.join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === electronVersion) return null;
  const sqliteVersion = require('better-sqlite3/package.json').version;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { 'better-sqlite3': sqliteVersion } }, null, 2));
  console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: dir,
    stdio: 'inherit',
    env: {
      ...process.env,
      npm_config_runtime: 'electron',
      npm_config_target: electronVersion,
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_build_from_source: process.env.npm_config_build_from_source ?? '',
    },
  });
  if (result.status !== 0 || !existsSync(binding)) return `better-sqlite3 could not be built for Electron ${electronVersion}`;
  writeFileSync(stamp, `${electronVersion}\n`);
  return null;
}
