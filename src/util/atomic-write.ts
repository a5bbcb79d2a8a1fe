import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that a crash leaves either the old content or the new, never a torn file: write a temp file
 * beside it, flush it to disk, then rename over the target (atomic on POSIX file systems), then flush the folder
 * so the rename itself survives a power cut.
 */
export async function writeFileAtomic(target: string, chunks: readonly Uint8Array[]): Promise<void> {
  // Unique per call, not only per process and millisecond: two writes of one target may run at once (the same
  // cached image asked for by the viewer and the thumbnails), and each must rename a whole file of its own.
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const handle = await open(tmp, 'w');
  try {
    for (const chunk of chunks) await handle.write(chunk);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, target);
  await syncFolder(path.dirname(target));
}

/** Flushes a folder's entries (renames, new files) to disk. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
