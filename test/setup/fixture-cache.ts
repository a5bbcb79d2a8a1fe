import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { listFixture, listingChanges, type FixtureListing } from '../helpers/fixture-listing.js';

// Vitest global setup: one folder for the whole run where the scanner-format fixtures (NIfTI by nibabel, DICOM by
// pydicom/dcmtk/gdcm) are made once and shared read-only by every file that needs them
// (test/helpers/fixture-cache.ts). Each costs seconds of CPU; five files used to make their own copies. At the end
// the run fails if a test wrote into one (test/helpers/fixture-listing.ts).

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's fixture cache folder, removed when the run ends. */
    fixtureCacheDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'brainseg-fixture-cache-'));
  project.provide('fixtureCacheDir', dir);
  return () => {
    const changed = readdirSync(dir).filter((name) => name.endsWith('.files.json')).flatMap((listing) => {
      const fixture = path.join(dir, listing.slice(0, -'.files.json'.length));
      if (!existsSync(fixture)) return [];
      const before = JSON.parse(readFileSync(path.join(dir, listing), 'utf8')) as FixtureListing;
      return listingChanges(before, listFixture(fixture)).map((change) => `${path.basename(fixture)}/${change}`);
    });
    rmSync(dir, { recursive: true, force: true });
    if (changed.length > 0) {
      throw new Error(`A test wrote into the shared fixtures, which every test file reads:\n${changed.join('\n')}`);
    }
  };
}
