// The one check every file passes before the importer reads a byte of it. Only regular files are read, and never
// past the size limit: a FIFO named like a slice would block the import forever, a link to /dev/zero would fill
// memory (its stat size is 0), and a file growing while it is read must not grow past the limit.
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a slice's file could not be read or decoded: which file, and the reason, in words a user can act on. */
export class SliceReadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'SliceReadError';
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function describeOpenError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'it does not exist or is a broken link';
    case 'ELOOP': return 'it is a symbolic link loop';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a folder';
    case 'ENAMETOOLONG': return 'its path is too long';
    default: return error instanceof Error ? error.message : String(error);
  }
}

/** Reads a regular file of at most `maxBytes`, or throws SliceReadError saying why not. */
export async function readAdmittedFile(file: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer before we could even look at what it is.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new SliceReadError(file, `cannot read file (${describeOpenError(error)})`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SliceReadError(file, `not imported: it is ${kindOf(stat)}, not an image file`);
    if (stat.size > maxBytes) throw new SliceReadError(file, `file is ${stat.size} bytes; the limit is ${maxBytes}`);
    // Read what stat promised and one byte more: a file that grew meanwhile is refused, not read without end.
    const buffer = Buffer.alloc(stat.size + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > stat.size) throw new SliceReadError(file, 'file changed while it was read (it grew); import it again');
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof SliceReadError) throw error;
    throw new SliceReadError(file, `cannot read file (${describeOpenError(error)})`);
  } finally {
    await handle.close();
  }
}
