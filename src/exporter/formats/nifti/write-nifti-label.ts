// Writes a label volume back onto a NIfTI source's own grid, as a .nii.gz that any tool overlays on the source:
// the source header's bytes with only what describes the voxels changed (3-D, uint8, unscaled, no extensions), so
// pixdim, sform and qform (codes and parameters) stay byte for byte what the source had, in its byte order.
// Written to a temporary file in the same folder and then linked or renamed into place, so a crash never
// leaves half a file under the real name and an existing file is never replaced unless asked.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NiftiOrigin } from '../../../imaging/volume/origin.js';

const NIFTI_LABEL = 1002; // NIFTI_INTENT_LABEL: viewers show the values as labels, not intensities
const UINT8 = 2;

export interface WriteNiftiLabelOptions {
  /** Replace `file` if it exists (default: refuse). */
  overwrite?: boolean;
}

/** The header of the label file: the source's, set to 3-D uint8 with no scaling and no extensions. */
export function labelHeader(sourceHeader: Uint8Array): { header: Uint8Array; dims: [number, number, number] } {
  const size = sourceHeader.length;
  if (size !== 348 && size !== 540) throw new Error(`a NIfTI header is 348 or 540 bytes, not ${size}`);
  const version = size === 348 ? 1 : 2;
  const probe = new DataView(sourceHeader.buffer, sourceHeader.byteOffset, 4);
  const littleEndian = probe.getInt32(0, true) === size;
  if (!littleEndian && probe.getInt32(0, false) !== size) throw new Error('the source header is not a NIfTI header');
  // The header plus four zero bytes: the extension flag, "no extensions".
  const out = new Uint8Array(size + 4);
  out.set(sourceHeader);
  const view = new DataView(out.buffer);
  const rank = version === 1 ? view.getInt16(40, littleEndian) : Number(view.getBigInt64(16, littleEndian));
  const dims = [1, 2, 3].map((d) => {
    if (d > rank) return 1;
    return version === 1 ? view.getInt16(40 + d * 2, littleEndian) : Number(view.getBigInt64(16 + d * 8, littleEndian));
  }) as [number, number, number];
  if (version === 1) {
    view.setInt16(40, 3, littleEndian);
    for (let d = 1; d <= 7; d++) view.setInt16(40 + d * 2, d <= 3 ? dims[d - 1]! : 1, littleEndian);
    view.setFloat32(56, 0, littleEndian); // intent_p1..p3
    view.setFloat32(60, 0, littleEndian);
    view.setFloat32(64, 0, littleEndian);
    view.setInt16(68, NIFTI_LABEL, littleEndian);
    view.setInt16(70, UINT8, littleEndian);
    view.setInt16(72, 8, littleEndian);
    view.setFloat32(108, size + 4, littleEndian); // vox_offset 352
    view.setFloat32(112, 1, littleEndian);
    view.setFloat32(116, 0, littleEndian);
    view.setFloat32(124, 1, littleEndian); // cal_max
    view.setFloat32(128, 0, littleEndian); // cal_min
    out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0": a single file
  } else {
    view.setBigInt64(16, 3n, littleEndian);
    for (let d = 1; d <= 7; d++) view.setBigInt64(16 + d * 8, BigInt(d <= 3 ? dims[d - 1]! : 1), littleEndian);
    view.setInt16(12, UINT8, littleEndian);
    view.setInt16(14, 8, littleEndian);
    for (const at of [80, 88, 96]) view.setFloat64(at, 0, littleEndian); // intent_p1..p3
    view.setBigInt64(168, BigInt(size + 4), littleEndian); // vox_offset 544
    view.setFloat64(176, 1, littleEndian);
    view.setFloat64(184, 0, littleEndian);
    view.setFloat64(192, 1, littleEndian); // cal_max
    view.setFloat64(200, 0, littleEndian); // cal_min
    view.setInt32(504, NIFTI_LABEL, littleEndian);
    out.set([0x6e, 0x2b, 0x32, 0], 4); // "n+2\0", then \r\n\032\n as the source had
  }
  return { header: out, dims };
}

/**
 * Writes `labels` (one byte per voxel on the origin volume's grid, i fastest, then j, then k) as a .nii.gz.
 * Refuses an existing `file` unless `overwrite` is set.
 */
export async function writeNiftiLabel(
  origin: NiftiOrigin, labels: Uint8Array, file: string, options: WriteNiftiLabelOptions = {},
): Promise<void> {
  if (!/\.nii\.gz$/i.test(file)) throw new Error(`${file}: a NIfTI label is written as .nii.gz`);
  const { header, dims } = labelHeader(Buffer.from(origin.header, 'base64'));
  const voxels = dims[0] * dims[1] * dims[2];
  if (labels.length !== voxels) {
    throw new Error(`${labels.length} label voxels do not fit the source grid ${dims.join('×')} (${voxels} voxels)`);
  }
  const contents = new Uint8Array(header.length + voxels);
  contents.set(header);
  contents.set(labels, header.length);
  // Level 6: labels are mostly zeros and compress ~100:1 at any level; higher levels only cost time.
  const compressed = gzipSync(contents, { level: 6 });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(compressed);
    await handle.sync(); // on disk before it takes the real name
  } finally {
    await handle.close();
  }
  try {
    if (options.overwrite) await rename(temp, file);
    else await placeWithoutReplacing(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Gives `temp` the name `file` unless that exists, atomically where the file system has hard links. */
async function placeWithoutReplacing(temp: string, file: string): Promise<void> {
  try {
    // link() fails if the name exists: no window in which another writer's file is replaced.
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${file} already exists (export again with overwrite to replace it)`, { cause: error });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // No hard links here (FAT, some network shares): an exclusive copy refuses an existing name just as well.
    await copyFile(temp, file, constants.COPYFILE_EXCL).catch((copyError: NodeJS.ErrnoException) => {
      if (copyError.code === 'EEXIST') throw new Error(`${file} already exists (export again with overwrite to replace it)`, { cause: copyError });
      throw copyError;
    });
  }
}
