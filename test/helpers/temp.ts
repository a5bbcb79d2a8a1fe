import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Removed by test/setup/temp-cleanup.ts, which every test file runs: hooks registered here, at import, would bind
// only to the first file of a worker whose files share their modules (Vitest's `isolate: false`), and the other
// files' folders would be left in /tmp.
const created: string[] = [];
const persistent: string[] = [];

/** A fresh temporary folder, removed after the current test. */
export function tempDir(prefix = 'brainseg-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A temporary folder that lives until the test file ends (for fixtures shared by its tests). */
tempDir.persistent = (prefix = 'brainseg-shared-'): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  persistent.push(dir);
  return dir;
};

/** Removes the folders made by tempDir() since the last call (after each test). */
export function removeTestFolders(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Removes the folders made by tempDir.persistent() since the last call (after each file). */
export function removeFileFolders(): void {
  for (const dir of persistent.splice(0)) rmSync(dir, { recursive: true, force: true });
}
