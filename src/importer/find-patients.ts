import type { ImportScan, ImportedSeries } from '../contract/index.js';
import type { ImportCandidate } from './formats/import-format.js';
import { IMPORT_FORMATS } from './formats/registry.js';
import type { SequenceOverride } from './formats/volume-format.js';
import { resolveImportRoot, type SkippedFile } from './scan.js';

/** Every format's patients under a folder (resolved), in registry order; throws when the folder holds nothing. */
export async function findPatients(root: string, overrides: readonly SequenceOverride[], skipped: SkippedFile[]): Promise<ImportCandidate[]> {
  const candidates: ImportCandidate[] = [];
  for (const format of IMPORT_FORMATS) candidates.push(...(await format.scan(root, { overrides }, skipped)));
  if (candidates.length === 0 && skipped.length === 0) {
    throw new Error(`nothing to import in ${root}: no LGG slice images (.tif), NIfTI volumes (.nii, .nii.gz) or DICOM ` +
      'files in it or in its sub-folders');
  }
  return candidates;
}

/** The NIfTI files and DICOM series found, each with its role and the reason for it. */
export function seriesOf(candidates: readonly ImportCandidate[]): ImportedSeries[] {
  return candidates.flatMap((c) =>
    c.kind === 'volumes' ? c.patient.series.map((s) => ({ caseId: c.caseId, format: c.format, key: s.key, label: s.label, role: s.role, reason: s.reason })) : [],
  );
}

/** What a folder holds and how each series would be used, without reading pixels or writing anything. */
export async function scanImport(root: string, overrides: readonly SequenceOverride[] = []): Promise<ImportScan> {
  const skipped: SkippedFile[] = [];
  const candidates = await findPatients(resolveImportRoot(root), overrides, skipped);
  return {
    patients: candidates.map((c) => ({ caseId: c.caseId, format: c.format, slices: c.kind === 'slices' ? c.folder.slices.length : null })),
    series: seriesOf(candidates),
    skipped,
  };
}
