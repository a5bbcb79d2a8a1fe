// The scan's first pass: every candidate file's header, read a few at a time. Files that are not DICOM are counted
// per folder, so a folder of 100,000 of them is one line in the report and not 100,000.
import path from 'node:path';
import type { SkippedFile } from '../volume-format.js';
import type { DicomHeader } from './dicom-header.js';
import { readDicomHeader } from './read-header.js';
import { walkTree } from './walk-tree.js';

// Enough reads in flight to hide disk latency without holding hundreds of file handles.
const CONCURRENCY = 16;
const EXAMPLES = 3;

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Aggregates files skipped for one reason in one folder into one entry. */
export function aggregated(folder: string, files: readonly string[], reason: string, manyReason = `${files.length} files: ${reason}`): SkippedFile {
  if (files.length === 1) return { file: files[0]!, reason };
  const examples = files.slice(0, EXAMPLES).map((f) => path.basename(f)).join(', ');
  return { file: folder, reason: `${manyReason}, e.g. ${examples}${files.length > EXAMPLES ? ', …' : ''}` };
}

/** Reads the headers of every DICOM file under `root`; what is not DICOM or unreadable goes to `skipped`. */
export async function collectHeaders(root: string, skipped: SkippedFile[]): Promise<DicomHeader[]> {
  const headers: DicomHeader[] = [];
  for await (const { folder, files } of walkTree(root)) {
    const notDicom: string[] = [];
    const unreadable = new Map<string, string[]>();
    await forEachLimited(files, CONCURRENCY, async (file) => {
      const result = await readDicomHeader(file);
      if (result.kind === 'header') headers.push(result.header);
      else if (result.kind === 'not-dicom') notDicom.push(file);
      else unreadable.set(result.reason, [...(unreadable.get(result.reason) ?? []), file]);
    });
    // Files read concurrently finish in any order; the report and the grouping should not depend on it.
    notDicom.sort();
    if (notDicom.length > 0) {
      skipped.push(aggregated(folder, notDicom, 'not DICOM', `${notDicom.length} files are not DICOM`));
    }
    for (const [reason, list] of unreadable) skipped.push(aggregated(folder, list.sort(), reason));
  }
  headers.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return headers;
}
