// Lists every file under an import root that could be DICOM. Scanners and PACS exports name files anything
// (IM_0001, 1.3.12.2…, no extension at all), so only files of formats we know are something else are left out by
// name. Links are followed, but each real folder is entered once, so a link back up the tree cannot loop.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

// Other formats the importer reads or that travel with exports (reports, spreadsheets, screenshots): never DICOM.
const OTHER_FORMAT_ENDINGS = [
  '.tif', '.tiff', '.nii', '.nii.gz', '.gz', '.csv', '.json', '.md', '.txt', '.png', '.jpg', '.jpeg', '.xml',
  '.html', '.htm', '.pdf', '.zip', '.mat', '.npy', '.npz', '.bmp', '.gif',
];

function isOtherFormat(name: string): boolean {
  const lower = name.toLowerCase();
  return OTHER_FORMAT_ENDINGS.some((ending) => lower.endsWith(ending));
}

/** The candidate files of one folder (in name order). */
export interface FolderFiles {
  folder: string;
  files: string[];
}

/** Walks `root` (a folder or a single file), yielding each folder's candidate files. */
export async function* walkTree(root: string): AsyncGenerator<FolderFiles> {
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) {
    if (!isOtherFormat(path.basename(root))) yield { folder: path.dirname(root), files: [root] };
    return;
  }
  const visited = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let real: string;
    try {
      real = await realpath(folder);
    } catch {
      continue; // a broken link to a folder: nothing to read
    }
    if (visited.has(real)) continue;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: its files are simply not found, as with any other missing permission
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: string[] = [];
    const subfolders: string[] = [];
    for (const entry of entries) {
      // Dot files are the desktop's (.DS_Store, ._IM0001 resource forks), never a scanner's.
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDirectory = (await stat(full)).isDirectory();
        } catch {
          continue; // broken link
        }
      }
      if (isDirectory) subfolders.push(full);
      else if (!isOtherFormat(entry.name)) files.push(full);
    }
    if (files.length > 0) yield { folder, files };
    // Depth first, in name order: a patient's folders come out together.
    for (let i = subfolders.length - 1; i >= 0; i--) pending.push(subfolders[i]!);
  }
}
