import type { SkippedFile } from '../contract/index.js';
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';

/** One image file of a patient folder and its mask file, paired by file stem. */
export interface SliceFiles {
  number: number;
  imagePath: string;
  maskPath: string | null;
}

/** A patient folder as found on disk. */
export interface PatientFolder {
  caseId: string;
  folder: string;
  slices: SliceFiles[];
}

export type { SkippedFile };


/** What a path holds: patient folders, the dataset's `data.csv` if any, and files that cannot be paired. */
export interface ScanResult {
  patients: PatientFolder[];
  dataCsv: string | null;
  skipped: SkippedFile[];
}

const TIFF = /\.tiff?$/i;
const MASK_SUFFIX = /_mask$/i;
// A slice's number is the last run of digits in its stem: `TCGA_CS_4941_19960909_12` → 12.
const TRAILING_NUMBER = /(\d+)$/;

/**
 * The import path as a real folder, or an error a user can act on. Real paths: the catalog keeps pointing at the
 * images even if a symbolic link used for importing goes away.
 */
export function resolveImportRoot(root: string): string {
  let resolved: string;
  try {
    resolved = realpathSync(path.resolve(root));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`no such folder: ${path.resolve(root)}`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`permission denied: ${path.resolve(root)}`, { cause: error });
    throw error;
  }
  if (!statSync(resolved).isDirectory()) throw new Error(`${resolved} is not a folder: import takes a patient or dataset folder`);
  return resolved;
}

/**
 * Finds the LGG-layout patient folders under a resolved path: the path itself if it holds slice images, else each
 * of its sub-folders that does (a dataset root). Sub-folders hold one patient each, named by case id.
 */
export function scanTiffFolders(resolved: string, skipped: SkippedFile[]): ScanResult {
  const entries = readdirSync(resolved, { withFileTypes: true });
  const patients: PatientFolder[] = [];
  if (entries.some((e) => TIFF.test(e.name))) {
    patients.push(scanPatientFolder(resolved, skipped));
  } else {
    const folders = entries.filter((e) => isFolder(resolved, e)).map((e) => e.name).sort();
    for (const name of folders) {
      const folder = realpathSync(path.join(resolved, name));
      if (readdirSync(folder).some((file) => TIFF.test(file))) patients.push(scanPatientFolder(folder, skipped));
    }
  }
  const dataCsv = patients.length > 0 ? findDataCsv(resolved, patients.length === 1 && patients[0]!.folder === resolved) : null;
  return { patients, dataCsv, skipped };
}

/** Scans a path for LGG-layout patients only; throws when there is nothing of that layout in it. */
export function scanImportPath(root: string): ScanResult {
  const resolved = resolveImportRoot(root);
  const result = scanTiffFolders(resolved, []);
  if (result.patients.length === 0 && result.skipped.length === 0) {
    throw new Error(`nothing to import in ${resolved}: no slice images (.tif) in it or in its sub-folders ` +
      '(expected a patient folder of <case>_<n>.tif files, or a dataset folder of such patient folders)');
  }
  return result;
}

// Follows symbolic links, so a dataset assembled from linked patient folders imports like a real one.
function isFolder(parent: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(path.join(parent, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

function findDataCsv(root: string, isPatientFolder: boolean): string | null {
  // A single patient folder imported from inside a dataset still gets its clinical row from the parent's data.csv.
  for (const candidate of isPatientFolder ? [root, path.dirname(root)] : [root]) {
    const file = path.join(candidate, 'data.csv');
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // no data.csv here: it is optional
    }
  }
  return null;
}

/** Slice numbers above this are not slice numbers (an MRI series has hundreds of slices at most). */
export const MAX_SLICE_NUMBER = 100_000;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A folder's file names. A name that is not valid UTF-8 cannot be stored, shown or opened again by the string
 * we would get for it: it is reported (with its bytes) and left out.
 */
function readNames(folder: string, skipped: SkippedFile[]): string[] {
  const names: string[] = [];
  for (const raw of readdirSync(folder, { encoding: 'buffer' })) {
    try {
      names.push(UTF8.decode(raw));
    } catch {
      const shown = raw.toString('latin1').replace(/[^\x20-\x7e]/g, '?');
      if (/\.tiff?$/i.test(shown)) skipped.push({ file: path.join(folder, shown), reason: `file name is not valid UTF-8 (bytes ${raw.toString('hex')}): rename it to import it` });
    }
  }
  return names;
}

/** Pairs the slice images of one folder with their masks, by file stem, in numeric slice order. */
export function scanPatientFolder(folder: string, skipped: SkippedFile[]): PatientFolder {
  const images = new Map<string, string>();
  const masks = new Map<string, string>();
  for (const name of readNames(folder, skipped)) {
    if (!TIFF.test(name)) continue;
    const stem = name.replace(TIFF, '');
    const file = path.join(folder, name);
    if (MASK_SUFFIX.test(stem)) masks.set(stem.replace(MASK_SUFFIX, ''), file);
    else images.set(stem, file);
  }

  const byNumber = new Map<number, SliceFiles>();
  for (const [stem, imagePath] of images) {
    const match = TRAILING_NUMBER.exec(stem);
    if (!match) {
      skipped.push({ file: imagePath, reason: 'file name has no slice number (expected <case>_<n>.tif)' });
      continue;
    }
    const number = Number(match[1]);
    if (!Number.isSafeInteger(number) || number > MAX_SLICE_NUMBER) {
      skipped.push({ file: imagePath, reason: `slice number ${match[1]} is not plausible (at most ${MAX_SLICE_NUMBER})` });
      continue;
    }
    const clash = byNumber.get(number);
    if (clash) {
      skipped.push({ file: imagePath, reason: `slice number ${number} is already taken by ${path.basename(clash.imagePath)}` });
      continue;
    }
    byNumber.set(number, { number, imagePath, maskPath: masks.get(stem) ?? null });
  }
  for (const [stem, maskPath] of masks) {
    if (!images.has(stem)) skipped.push({ file: maskPath, reason: `mask has no image ${stem}.tif beside it` });
  }

  return {
    caseId: path.basename(folder),
    folder,
    slices: [...byNumber.values()].sort((a, b) => a.number - b.number),
  };
}

/** The institution code of a TCGA case id (`TCGA_CS_4941_19960909` → `CS`), or `unknown`. */
export function institutionOf(caseId: string): string {
  return /^TCGA_([A-Z0-9]{2})_/i.exec(caseId)?.[1]?.toUpperCase() ?? 'unknown';
}
