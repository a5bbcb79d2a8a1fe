// Reading NIfTI files from disk, plain or gzipped (told apart by content, not by name). Scanning reads only the
// header: the first kilobytes of the file, inflated as a stream until the header is complete. Loading reads the
// whole file and inflates it with node:zlib, which is faster than fflate here (~100 vs ~170 ms for a BraTS
// volume), reports a truncated stream as an error and stops at an output limit instead of trusting the gzip
// trailer's size (fflate's gunzipSync allocates what the last four bytes say, garbage in a truncated file).
import { constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { Gunzip } from 'fflate';
import { readAdmittedFile, SliceReadError } from '../../admit-file.js';
import { VolumeError } from '../../../imaging/volume/volume.js';
import { MAX_VOXEL_BYTES, NIFTI2_HEADER_BYTES, parseNiftiHeader, type NiftiHeader } from './nifti-header.js';

const gunzipAsync = promisify(gunzip);

const NIFTI_NAME = /\.nii(\.gz)?$/i;
// Extensions between header and data are rarely more than a few MB (DICOM headers kept by dcm2niix).
const MAX_FILE_BYTES = MAX_VOXEL_BYTES + 64 * 1024 ** 2;
const HEADER_CHUNK = 4096;
// A header is the first 540 bytes after inflating; no sane stream needs more than this much input for them.
const MAX_COMPRESSED_HEADER_INPUT = 1024 ** 2;

export function isNiftiName(name: string): boolean {
  return NIFTI_NAME.test(name);
}

/** The file name without `.nii` or `.nii.gz`. */
export function niftiStem(name: string): string {
  return name.replace(NIFTI_NAME, '');
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Why a gzip stream failed, in words (zlib's are terse). */
function gzipReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end|unexpected EOF/i.test(message)) return 'the .nii.gz file is truncated (its compressed data ends early)';
  if (/larger than|ERR_BUFFER_TOO_LARGE|Cannot create a Buffer/i.test(message)) {
    return `implausibly large: it inflates to more than ${MAX_FILE_BYTES} bytes`;
  }
  return `the gzip data is corrupt (${message})`;
}

/** Parses a header, turning its VolumeError into the file's SliceReadError. */
function headerOf(file: string, start: Uint8Array): NiftiHeader {
  try {
    return parseNiftiHeader(start);
  } catch (error) {
    if (error instanceof VolumeError) throw new SliceReadError(file, error.message);
    throw new SliceReadError(file, `cannot read the NIfTI header (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Bytes of voxel data the header promises (all volumes). */
export function dataBytesOf(header: NiftiHeader): number {
  return header.dims[0] * header.dims[1] * header.dims[2] * header.volumes * header.voxelType.bytes;
}

/** Reads and checks only the header (the importer's scan): a few kilobytes of the file, never its voxels. */
export async function readNiftiHeader(file: string): Promise<NiftiHeader> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    // readAdmittedFile words every way opening can fail; let it say why.
    await readAdmittedFile(file, 0);
    throw new SliceReadError(file, 'cannot read file');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) await readAdmittedFile(file, 0); // throws the reason (a folder, a FIFO, …)
    const chunk = Buffer.alloc(HEADER_CHUNK);
    let position = 0;
    const read = async () => {
      const { bytesRead } = await handle.read(chunk, 0, HEADER_CHUNK, position);
      position += bytesRead;
      return chunk.subarray(0, bytesRead);
    };
    const first = await read();
    if (!isGzip(first)) {
      const header = headerOf(file, first);
      const needed = header.voxOffset + dataBytesOf(header);
      if (stat.size < needed) throw new SliceReadError(file, truncatedReason(header, stat.size));
      return header;
    }
    const header = headerOf(file, await inflateStart(first, read, file));
    const { buffer } = await handle.read(Buffer.alloc(4), 0, 4, Math.max(0, stat.size - 4));
    if (!trailerFits(buffer.readUInt32LE(0), header)) await checkInflatesFully(file, header);
    return header;
  } finally {
    await handle.close();
  }
}

/** Inflates a gzip stream chunk by chunk until the header's bytes are out (or the input ends). */
async function inflateStart(first: Uint8Array, read: () => Promise<Uint8Array>, file: string): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  let length = 0;
  const inflater = new Gunzip((data) => {
    out.push(data);
    length += data.length;
  });
  let input = first;
  let consumed = 0;
  try {
    while (length < NIFTI2_HEADER_BYTES && input.length > 0 && consumed < MAX_COMPRESSED_HEADER_INPUT) {
      inflater.push(input, false);
      consumed += input.length;
      if (length < NIFTI2_HEADER_BYTES) input = await read();
    }
  } catch (error) {
    throw new SliceReadError(file, gzipReason(error));
  }
  // A short result is judged by the header parser (it names the header it ends inside).
  return Buffer.concat(out);
}

// Writers put nothing after the voxels; allow some slack for ones that pad.
const TRAILING_SLACK = 16 * 1024 ** 2;

/**
 * Whether the gzip trailer's length (ISIZE, the inflated size mod 2³²) fits the header. A truncated file's last
 * four bytes are compressed data, almost never such a value; a multi-member gzip (bgzip) gives only its last
 * member's length. Either way the file is then inflated once to be sure, without keeping the output.
 */
function trailerFits(isize: number, header: NiftiHeader): boolean {
  const needed = header.voxOffset + dataBytesOf(header);
  return isize >= needed && isize < needed + TRAILING_SLACK;
}

async function checkInflatesFully(file: string, header: NiftiHeader): Promise<void> {
  const needed = header.voxOffset + dataBytesOf(header);
  let inflated = 0;
  const source = createReadStream(file);
  const gunzip = createGunzip();
  try {
    await new Promise<void>((resolve, reject) => {
      gunzip.on('data', (chunk: Buffer) => {
        inflated += chunk.length;
        if (inflated >= needed) resolve(); // the voxels are all there; what follows does not matter
      });
      gunzip.on('end', resolve);
      gunzip.on('error', reject);
      source.on('error', reject);
      source.pipe(gunzip);
    });
  } catch (error) {
    throw new SliceReadError(file, gzipReason(error));
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (inflated < needed) throw new SliceReadError(file, truncatedReason(header, inflated));
}

function truncatedReason(header: NiftiHeader, available: number): string {
  const needed = header.voxOffset + dataBytesOf(header);
  const dims = header.volumes > 1 ? `${header.dims.join('×')}×${header.volumes}` : header.dims.join('×');
  return `the file is truncated or its dims are wrong: ${dims} ${header.voxelType.name} voxels need ` +
    `${needed} bytes from the start of the file, it holds ${available}`;
}

/** A whole file, inflated: its header and every byte (the voxel data starts at header.voxOffset). */
export interface NiftiFileContents {
  header: NiftiHeader;
  bytes: Uint8Array;
}

/** Reads a whole NIfTI file; throws SliceReadError with the file and the reason. */
export async function readNiftiFile(file: string): Promise<NiftiFileContents> {
  const raw = await readAdmittedFile(file, MAX_FILE_BYTES);
  let bytes: Uint8Array = raw;
  if (isGzip(raw)) {
    // Check the header before inflating everything: an absurd size is refused without allocating it.
    let offset = 0;
    headerOf(file, await inflateStart(raw.subarray(0, HEADER_CHUNK), async () => {
      offset += HEADER_CHUNK;
      return raw.subarray(offset, offset + HEADER_CHUNK);
    }, file));
    try {
      bytes = await gunzipAsync(raw, { maxOutputLength: MAX_FILE_BYTES });
    } catch (error) {
      throw new SliceReadError(file, gzipReason(error));
    }
  }
  const header = headerOf(file, bytes);
  if (bytes.length < header.voxOffset + dataBytesOf(header)) throw new SliceReadError(file, truncatedReason(header, bytes.length));
  return { header, bytes };
}
