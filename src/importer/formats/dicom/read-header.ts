// Reads one file's DICOM header at scan time: a few hundred bytes to sniff, then a bounded prefix to parse up to
// the pixel data, growing the prefix only when the header is longer (enhanced objects with thousands of per-frame
// groups, private blobs). Only a regular file is opened (a FIFO would block the scan) and nothing is kept but the
// extracted attributes.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { headerOf, type DicomHeader } from './dicom-header.js';
import { parseDicom } from './parse-dicom.js';
import { SNIFF_BYTES, sniffDicom } from './sniff.js';

/** Read sizes tried in turn; the last step reads the whole file. */
const PREFIX_STEPS = [64 * 1024, 1024 * 1024, 16 * 1024 * 1024];

export type HeaderResult =
  | { kind: 'header'; header: DicomHeader }
  | { kind: 'not-dicom' }
  /** DICOM by its first bytes, but its header cannot be read: the reason says why. */
  | { kind: 'unreadable'; reason: string };

async function readAt(handle: FileHandle, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

export async function readDicomHeader(file: string): Promise<HeaderResult> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return { kind: 'not-dicom' }; // vanished or unreadable: nothing to say about it as DICOM
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'not-dicom' };
    const head = await readAt(handle, Math.min(SNIFF_BYTES, stat.size));
    const sniffed = sniffDicom(head, stat.size);
    if (sniffed.kind === 'not-dicom') return { kind: 'not-dicom' };
    const bareTransferSyntax = sniffed.kind === 'bare' ? sniffed.transferSyntax : undefined;
    let lastError = 'no header';
    for (const step of [...PREFIX_STEPS, stat.size]) {
      const length = Math.min(step, stat.size);
      const bytes = await readAt(handle, length);
      const whole = length >= stat.size;
      try {
        const ds = parseDicom(bytes, { headerOnly: true, bareTransferSyntax });
        // A prefix cut exactly between two elements parses without complaint: without the pixel data element
        // (which ends the header) it may have missed attributes, so read more unless the file is all here.
        if (!whole && ds.elements['x7fe00010'] === undefined) continue;
        return { kind: 'header', header: headerOf(file, ds) };
      } catch (error) {
        // A prefix too short for the header (or a deflated data set, one zlib stream that cannot be inflated in
        // part) fails here: the next, longer read decides.
        lastError = error instanceof Error ? error.message : String(error);
        if (whole) break;
      }
    }
    return { kind: 'unreadable', reason: `its DICOM header cannot be read (${lastError})` };
  } finally {
    await handle.close();
  }
}

