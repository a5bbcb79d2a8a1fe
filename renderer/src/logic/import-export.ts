// The import dialog's choices and what the workstation says after an import or an export. Pure, unit-tested.
import type { ExportFormatName, ExportReport, ImportReport, SeriesRole, SkippedFile } from '../../../src/contract/index.js';

/** What each export format is called in the UI. */
export const EXPORT_FORMAT_LABELS: Record<ExportFormatName, string> = {
  dataset: 'Dataset layout (TIFF)', nifti: 'NIfTI', 'dicom-seg': 'DICOM-SEG',
};

/** What each series role is called in the import dialog's select. */
export const ROLE_LABELS: Record<SeriesRole, string> = {
  flair: 'FLAIR', t1: 'T1 pre-contrast', t1c: 'T1 post-contrast', t2: 'T2', other: 'other (not used)', label: 'lesion labels', skip: 'skip',
};

/** The "lesion labels" field: empty = any non-zero value; otherwise integers separated by commas or spaces. */
export function parseLabels(text: string): { labels: number[] | undefined } | { error: string } {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return { labels: undefined };
  const bad = parts.find((p) => !/^-?\d+$/.test(p));
  if (bad !== undefined) return { error: `"${bad}" is not a whole number: label values are like 1,2,4` };
  if (parts.length > 256) return { error: 'at most 256 label values' };
  return { labels: [...new Set(parts.map(Number))] };
}

/** The user's role choices as the request's overrides. */
export function overridesOf(chosen: Readonly<Record<string, SeriesRole>>): Array<{ role: SeriesRole; key: string }> {
  return Object.entries(chosen).map(([key, role]) => ({ key, role }));
}

const MAX_LISTED = 4;

/** A list cut to a few items, with how many more there are. */
function listed<T>(items: readonly T[], text: (item: T) => string): string {
  const shown = items.slice(0, MAX_LISTED).map(text).join('; ');
  return items.length > MAX_LISTED ? `${shown}; and ${items.length - MAX_LISTED} more` : shown;
}

const skippedText = (s: SkippedFile) => `${s.file.split('/').pop()} (${s.reason})`;

/** What the message area says after an import: the counts, then the import's warnings and the files skipped. */
export function importMessage(r: ImportReport): { text: string; kind: 'success' | 'info' } {
  const parts = [`Imported ${r.patients} new patients, ${r.slices} slices (${r.lesionSlices} with lesions, ${r.unchanged} unchanged) in ${r.seconds.toFixed(1)} s`];
  const warnings = r.warnings ?? [];
  if (warnings.length) parts.push(`⚠ ${listed(warnings, (w) => `${w.caseId}: ${w.message}`)}`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped: ${listed(r.skipped, skippedText)}`);
  return { text: `${parts.join(' · ')}.`, kind: warnings.length || r.skipped.length ? 'info' : 'success' };
}

/** What the message area says after an export: where, which files were written, and what was skipped and why. */
export function exportMessage(r: ExportReport, predictions: boolean): { text: string; kind: 'success' | 'info' } {
  const what = predictions ? 'predictions' : 'masks';
  const parts = [`Exported ${r.patients} patients (${r.masks} ${what}) to ${r.folder}`];
  const files = r.files ?? [];
  if (files.length) parts.push(`wrote ${listed(files, (f) => f.split('/').pop() ?? f)}`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped: ${listed(r.skipped, skippedText)}`);
  return { text: `${parts.join(' · ')}.`, kind: r.skipped.length ? 'info' : 'success' };
}
