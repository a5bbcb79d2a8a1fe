import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The workstation's version from its package.json, found by walking up from this file (it runs from src/ under the
 * tests and from dist/src/ when built, at different depths).
 */
export function appVersion(): string {
  if (cached !== null) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'brainseg-studio' && pkg.version) return (cached = pkg.version);
    } catch {
      // no package.json here: keep walking up
    }
    const up = path.dirname(dir);
    if (up === dir) return (cached = 'unknown');
    dir = up;
  }
}
