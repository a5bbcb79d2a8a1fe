// Reads the headers of a folder's NIfTI files (never their voxels) and turns each readable one into a candidate
// with the role its name suggests; unreadable ones go to `skipped` with the reason.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SkippedFile } from '../volume-format.js';
import { isNiftiName, niftiStem, readNiftiHeader } from './nifti-file.js';
import type { NiftiHeader } from './nifti-header.js';
import type { NiftiCandidate } from './nifti-series.js';
import { roleFromName } from './sequence-names.js';

/**
 * The NIfTI files directly in a folder, sorted by name. Dot files are left out: macOS leaves `._BRATS_001.nii.gz`
 * resource forks next to the real files in unpacked archives (the Medical Segmentation Decathlon tarballs hold them).
 */
export function niftiFilesIn(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.filter((n) => isNiftiName(n) && !n.startsWith('.')).sort().map((n) => path.join(folder, n));
}

/** Sub-folders, sorted by name, as real paths (a dataset assembled from links imports like a real one). */
export function subFolders(folder: string): string[] {
  return readdirSync(folder)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .flatMap((n) => {
      try {
        const real = realpathSync(path.join(folder, n));
        return statSync(real).isDirectory() ? [real] : [];
      } catch {
        return [];
      }
    });
}

/** The header of a file, or null after noting why it cannot be used. */
export async function headerOrSkip(file: string, skipped: SkippedFile[]): Promise<NiftiHeader | null> {
  try {
    return await readNiftiHeader(file);
  } catch (error) {
    const reason = error instanceof Error && 'reason' in error ? String(error.reason) : String(error instanceof Error ? error.message : error);
    skipped.push({ file, reason });
    return null;
  }
}

/** Candidates for a patient folder's files, each classified by its name. */
export async function candidatesByName(files: readonly string[], skipped: SkippedFile[]): Promise<NiftiCandidate[]> {
  const headers = await Promise.all(files.map((f) => headerOrSkip(f, skipped)));
  const candidates: NiftiCandidate[] = [];
  files.forEach((file, n) => {
    const header = headers[n];
    if (!header) return;
    const name = path.basename(file);
    const { role, reason } = roleFromName(niftiStem(name));
    const warnings = header.volumes > 1
      ? [`${name} is 4-D (${header.volumes} volumes) outside a Decathlon layout: its first volume is used`]
      : [];
    candidates.push({ file, volumeIndex: 0, key: file, label: name, role, reason, header, warnings });
  });
  return candidates;
}
