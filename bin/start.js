#!/usr/bin/env node
// `npm start`: opens the desktop app where Electron is installed. Electron's binary is downloaded by its own
// install script, which fails without internet; then this falls back to what the core can show without it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    return require('electron'); // the package's main export is the path of the downloaded binary
  } catch {
    return null;
  }
}

const electron = electronBinary();
const appBuilt = existsSync(new URL('../dist/electron/main.js', import.meta.url));
if (electron && appBuilt) {
  const result = spawnSync(electron, ['.'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
console.log(
  electron
    ? 'The desktop shell is not built yet; showing the catalog with the CLI.'
    : 'Electron is not installed here (its binary could not be downloaded); showing the catalog with the CLI.',
);
const result = spawnSync(process.execPath, [new URL('./brainseg', import.meta.url).pathname, 'info', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
