// A labelled folder read for scoring, in any import format: LGG slices with their masks as they are on disk, NIfTI
// and DICOM patients laid out as slices (into a temporary folder the caller removes) with their label volumes as
// masks. Nothing is written to the catalog.
import type { SkippedFile } from '../contract/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPatients } from '../importer/find-patients.js';
import { hashImage, readSlice, SliceReadError, type ReadSlice } from '../importer/read-slice.js';
import { resolveImportRoot } from '../importer/scan.js';
import { buildVolumeSlices } from '../importer/volumes/volume-slices.js';

export interface LabelledPatient {
  caseId: string;
  /** Slices with a mask, in slice order. */
  slices: (ReadSlice & { mask: NonNullable<ReadSlice['mask']> })[];
}

export interface LabelledFolder {
  patients: LabelledPatient[];
  skipped: SkippedFile[];
  /** Removes the slice images made from volumes (call once the slices have been read). */
  dispose(): Promise<void>;
}

export async function readLabelledFolder(folder: string, options: { lesionLabels?: readonly number[] | null } = {}): Promise<LabelledFolder> {
  const skipped: SkippedFile[] = [];
  const candidates = await findPatients(resolveImportRoot(folder), [], skipped);
  const scratch = await mkdtemp(path.join(tmpdir(), 'brainseg-eval-'));
  const patients: LabelledPatient[] = [];
  for (const candidate of candidates) {
    const slices: LabelledPatient['slices'] = [];
    if (candidate.kind === 'slices') {
      for (const files of candidate.folder.slices) {
        if (!files.maskPath) {
          skipped.push({ file: files.imagePath, reason: 'no mask beside this slice: it cannot be scored' });
          continue;
        }
        try {
          const read = await readSlice(files, await hashImage(files.imagePath));
          slices.push({ ...read, mask: read.mask! });
        } catch (error) {
          if (!(error instanceof SliceReadError)) throw error;
          skipped.push({ file: error.file, reason: error.reason });
        }
      }
    } else {
      try {
        const built = await buildVolumeSlices(candidate.format, await candidate.patient.load(), {
          imageDir: path.join(scratch, String(patients.length)), lesionLabels: options.lesionLabels ?? null,
        });
        if (built.slices.some((s) => !s.mask)) {
          skipped.push({ file: candidate.patient.folder, reason: 'no label volume: this patient cannot be scored' });
          continue;
        }
        for (const s of built.slices) slices.push({ ...s, mask: s.mask! });
      } catch (error) {
        if (error instanceof Error && /^(VolumeError|SliceReadError|DicomError|NiftiError)$/.test(error.name)) {
          skipped.push({ file: candidate.patient.folder, reason: error.message });
          continue;
        }
        throw error;
      }
    }
    if (slices.length) patients.push({ caseId: candidate.caseId, slices });
  }
  return { patients, skipped, dispose: () => rm(scratch, { recursive: true, force: true }) };
}
