// Fixtures made once per test run and shared by the test files (and Vitest workers) that ask for the same one.
// The first asker takes a lock, makes the fixture in a temporary sibling and renames it into place, so a reader
// never sees a half-made folder; the others wait for the rename. A lock whose owner died is taken over. Fixtures
// are read-only to the tests: anything a test writes goes to its own tempDir().
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { listFixture } from './fixture-listing.js';
import { tempDir } from './temp.js';

let localRoot: string | undefined;

/** The run's cache (test/setup/fixture-cache.ts), or under another config a folder for this test file alone. */
function cacheRoot(): string {
  return inject('fixtureCacheDir') ?? (localRoot ??= tempDir.persistent('brainseg-fixture-cache-'));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file; 0 in the instant between its creation and its pid, or once it is released. */
function lockOwner(lock: string): number {
  try {
    return Number(readFileSync(lock, 'utf8'));
  } catch {
    return 0;
  }
}

/** Takes the lock file, or removes it if its owner is gone (the caller then tries again). */
function tryLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = lockOwner(lock);
    if (owner > 0 && !alive(owner)) rmSync(lock, { force: true });
    return false;
  }
}

/**
 * What `probe()` finds (why a tool is missing, or null), asked once per run: the probes start python with numpy
 * and nibabel or pydicom (~0.7 s of CPU), and eleven test files ask.
 */
export function cachedProbe(name: string, probe: () => string | null): string | null {
  const file = path.join(cacheRoot(), `${name}.probe.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as string | null;
  const found = probe();
  const work = `${file}.${process.pid}`;
  writeFileSync(work, JSON.stringify(found));
  renameSync(work, file); // two files probing at once write the same answer
  return found;
}

/**
 * The folder `name` in the run's fixture cache, made by `make(dir)` (into an empty folder) if no test file has
 * made it yet. `name` must say everything the fixture depends on (case, slice count…).
 */
export async function cachedFixture(name: string, make: (dir: string) => Promise<void> | void): Promise<string> {
  const root = cacheRoot();
  const done = path.join(root, name);
  const lock = `${done}.lock`;
  while (!existsSync(done)) {
    if (!tryLock(lock)) {
      await sleep(200);
      continue;
    }
    try {
      if (existsSync(done)) break;
      const work = mkdtempSync(`${done}.tmp-`);
      try {
        await make(work);
        writeFileSync(`${done}.files.json`, JSON.stringify(listFixture(work)));
        renameSync(work, done);
      } catch (error) {
        rmSync(work, { recursive: true, force: true });
        if (!existsSync(done)) throw error; // else two took over a dead owner's lock at once: the other's is as good
      }
    } finally {
      rmSync(lock, { force: true });
    }
  }
  return done;
}
