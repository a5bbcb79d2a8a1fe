// NIfTI as a scanner format: a patient folder of .nii/.nii.gz files (one per sequence, named as BraTS or BIDS
// name them), a dataset folder of such patient folders, or a Medical Segmentation Decathlon root. Scanning reads
// headers only; `load` reads the voxels of the files in use.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FoundPatient, ScanOptions, SkippedFile, VolumeFormat } from '../volume-format.js';
import { msdChannels, scanMsd } from './msd-layout.js';
import { candidatesByName, niftiFilesIn, subFolders } from './nifti-candidates.js';
import { foundPatient, settleRoles } from './nifti-series.js';

async function scanPatientFolder(folder: string, files: string[], options: ScanOptions, skipped: SkippedFile[]): Promise<FoundPatient | null> {
  const candidates = await candidatesByName(files, skipped);
  if (candidates.length === 0) return null;
  return foundPatient(path.basename(folder), folder, settleRoles(candidates, options));
}

async function scan(root: string, options: ScanOptions, skipped: SkippedFile[]): Promise<FoundPatient[]> {
  let resolved: string;
  try {
    resolved = realpathSync(path.resolve(root));
    if (!statSync(resolved).isDirectory()) return [];
  } catch {
    return []; // the importer reports a missing or unreadable root; other formats get the same answer
  }
  const channels = msdChannels(resolved);
  if (channels) return scanMsd(resolved, channels, options, skipped);
  const own = niftiFilesIn(resolved);
  if (own.length > 0) {
    const patient = await scanPatientFolder(resolved, own, options, skipped);
    return patient ? [patient] : [];
  }
  const patients: FoundPatient[] = [];
  for (const folder of subFolders(resolved)) {
    const files = niftiFilesIn(folder);
    if (files.length === 0) continue;
    const patient = await scanPatientFolder(folder, files, options, skipped);
    if (patient) patients.push(patient);
  }
  return patients;
}

export const niftiFormat: VolumeFormat = { name: 'nifti', scan };
