// What a cached fixture folder holds (every file's size and modification time), written when it is made and
// compared when the run ends (test/setup/fixture-cache.ts): the fixtures are shared, so a test that writes into one
// would change what the other files read; the run fails naming the file instead.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export type FixtureListing = Record<string, string>;

export function listFixture(dir: string): FixtureListing {
  const listing: FixtureListing = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = statSync(file);
    listing[path.relative(dir, file)] = entry.isDirectory() ? 'folder' : `${stat.size} bytes, modified ${stat.mtimeMs}`;
  }
  return listing;
}

/** What changed between two listings, one line each; empty when nothing did. */
export function listingChanges(before: FixtureListing, after: FixtureListing): string[] {
  const changes: string[] = [];
  for (const [file, was] of Object.entries(before)) {
    if (!(file in after)) changes.push(`${file}: removed`);
    else if (after[file] !== was) changes.push(`${file}: ${was} → ${after[file]}`);
  }
  for (const file of Object.keys(after)) if (!(file in before)) changes.push(`${file}: added`);
  return changes;
}
