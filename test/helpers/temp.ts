import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';

const created: string[] = [];

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

const persistent: string[] = [];
afterAll(() => {
  for (const dir of persistent.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});
