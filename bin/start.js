#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, else the same UI in the browser (`brainseg serve`).
// Electron's binary is downloaded on first use; without internet that fails and the browser mode takes over.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeRequirementProblem, requiredNode } from './node-requirement.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const brainseg = path.join(root, 'bin/brainseg');

/** The Electron binary, downloading it the first time; or the reason there is none. */
function electronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const located = () => {
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : null;
  };
  if (located()) return { binary: located() };
  console.log('Downloading the Electron binary (first start only)…');
  const download = spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  const binary = located();
  if (binary) return { binary };
  const why = download.stderr?.toString().split('\n').find((line) => /Error|ENOTFOUND|EAI_AGAIN|ECONN/.test(line));
  return { reason: `its binary could not be downloaded${why ? ` (${why.trim().slice(0, 120)})` : ''}` };
}

const nodeProblem = nodeRequirementProblem(process.versions.node, requiredNode(path.join(root, 'package.json')));
if (nodeProblem) {
  console.error(nodeProblem);
  process.exit(1);
}

const built = existsSync(path.join(root, 'dist/electron/main.js')) && existsSync(path.join(root, 'dist/renderer/index.html'));
if (!built) {
  console.error('BrainSeg Studio is not built: run `npm install` (or `npm run build`) first.');
  process.exit(1);
}

const electron = process.env.BRAINSEG_BROWSER ? { reason: 'BRAINSEG_BROWSER is set' } : electronBinary();
if (electron.binary) {
  const { ensureElectronSqlite } = await import('../build/electron-native.mjs');
  const version = readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'dist/version'), 'utf8').trim().replace(/^v/, '');
  const problem = ensureElectronSqlite(version);
  if (!problem) {
    const result = spawnSync(electron.binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
  electron.reason = problem;
}

console.log(`Electron is not available (${electron.reason}): serving BrainSeg Studio to your browser instead.`);
const result = spawnSync(process.execPath, [brainseg, 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
