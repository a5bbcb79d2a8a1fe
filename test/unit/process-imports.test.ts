// What the processes that never compute load at start. TensorFlow.js costs ~0.8 s of CPU to import; the CLI's parent
// process, `brainseg serve` and the app's main process hand every prediction, training and click to the compute
// process, so a static import of it there (a constant or a type pulled in with a value) is pure start-up cost, paid
// by every command and every window. Read from the built JavaScript (`dist/`, what runs), static imports only:
// dynamic `import()` is how a command loads what it needs when it runs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-data.js';

const DIST = path.join(REPO_ROOT, 'dist');
const STATIC_IMPORT = /^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm;

/** The chain of static imports from `entry` to the first module of `forbidden`, or null if it is never reached. */
function pathTo(entry: string, forbidden: RegExp): string[] | null {
  const seen = new Set<string>([entry]);
  const queue: string[][] = [[entry]];
  while (queue.length > 0) {
    const trail = queue.shift()!;
    const file = trail[trail.length - 1]!;
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = (match[1] ?? match[2])!;
      if (forbidden.test(specifier)) return [...trail.map((f) => path.relative(DIST, f)), specifier];
      if (!specifier.startsWith('.')) continue;
      const next = path.resolve(path.dirname(file), specifier);
      if (forbidden.test(path.relative(DIST, next))) return [...trail, next].map((f) => path.relative(DIST, f));
      if (seen.has(next) || !existsSync(next)) continue;
      seen.add(next);
      queue.push([...trail, next]);
    }
  }
  return null;
}

/** The package, or src/ml/tf.ts: the one module that loads it (with require(), which a static import does not show). */
const TFJS = /^@tensorflow\/|^src\/ml\/tf\.js$/;
const entries = [
  'src/server/serve.js', 'electron/main.js',
  ...['train', 'predict', 'eval', 'worker', 'import', 'export', 'masks', 'models', 'serve'].map((c) => `src/cli/commands/${c}.js`),
];

describe('processes that hand the computing on do not load TensorFlow.js', () => {
  it.each(entries)('%s', (entry) => {
    const file = path.join(DIST, entry);
    expect(existsSync(file), `${file}: run npm run build`).toBe(true);
    expect(pathTo(file, TFJS)).toBeNull();
  });

  it('finds such a chain when there is one (the compute process does load it)', () => {
    const chain = pathTo(path.join(DIST, 'src/compute/entry.js'), TFJS);
    expect(chain?.at(-1)).toBe('src/ml/tf.js');
    expect(chain!.length).toBeGreaterThan(2);
  });
});
