import { rename, writeFile } from 'node:fs/promises';

/** Writes beside the target and renames, so a crash never leaves a half-written file under the final name. */
export async function atomically(target: string, write: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  await write(tmp);
  await rename(tmp, target);
}

/** {@link atomically} for bytes in memory. */
export function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  return atomically(target, (tmp) => writeFile(tmp, bytes));
}
