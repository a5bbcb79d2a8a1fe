import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a script to run in another process or thread, next to the calling module. Built code finds it
 * beside itself in dist/; code running from the TypeScript sources (the tests) gets the built copy of it, since
 * a child process or worker thread runs plain JavaScript. `npm test` builds before it tests.
 */
export function builtScript(relative: string, from: string): string {
  const beside = fileURLToPath(new URL(relative, from));
  if (existsSync(beside)) return beside;
  return beside.replace(/([\\/])src([\\/])/, '$1dist$2src$2');
}
