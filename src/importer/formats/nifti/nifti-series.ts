// From NIfTI files (or volumes of a 4-D file) found in a patient's folder to the FoundPatient the importer shows:
// the user's overrides first, then one file per role (the first by name; the others are set aside with a reason),
// and a `load` that reads each file in use once, however many of its volumes are used.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type {
  FoundPatient, FoundSeries, LoadedPatient, LoadedVolume, NiftiOrigin, ScanOptions, SeriesRole,
} from '../volume-format.js';
import type { NiftiHeader } from './nifti-header.js';
import { readNiftiVolumes } from './nifti-volume.js';

/** One volume the scan found, with its role before overrides and duplicates are settled. */
export interface NiftiCandidate {
  file: string;
  volumeIndex: number;
  /** The override key: the file's path, with `#n` for a volume of a 4-D file. */
  key: string;
  label: string;
  role: SeriesRole;
  reason: string;
  header: NiftiHeader;
  /** Warnings for `load` (a 4-D file outside an MSD layout). */
  warnings: string[];
}

const SEQUENCE_NAMES: Record<string, string> = { flair: 'FLAIR', t1: 'T1', t1c: 'post-contrast T1', t2: 'T2', label: 'label' };

/** The forms of an override key that may name a file: as given, resolved, and with links resolved. */
function keyForms(key: string): string[] {
  const [file, volume] = key.split(/(?=#\d+$)/) as [string, string | undefined];
  const forms = [key, path.resolve(key)];
  try {
    forms.push(realpathSync(path.resolve(file)) + (volume ?? ''));
  } catch {
    // Not an existing path: a file name, matched as such.
  }
  return forms;
}

/** Whether an override names this candidate: its path (`#n` for a volume of a 4-D file) or its file name. */
function overrideMatches(forms: readonly string[], candidate: NiftiCandidate): boolean {
  return forms.includes(candidate.key) || forms[0] === path.basename(candidate.key);
}

/** Applies overrides, then keeps one candidate per role. Candidates must come sorted by file name. */
export function settleRoles(candidates: NiftiCandidate[], options: ScanOptions): NiftiCandidate[] {
  const overrides = options.overrides.map((o) => ({ role: o.role, forms: keyForms(o.key) }));
  const settled = candidates.map((c) => {
    const override = overrides.find((o) => overrideMatches(o.forms, c));
    return override ? { ...c, role: override.role, reason: 'set by the user', byUser: true } : { ...c, byUser: false };
  });
  const kept = new Map<SeriesRole, (typeof settled)[number]>();
  // The user's choice wins over a name rule; among equals the first by name does.
  for (const c of [...settled.filter((c) => c.byUser), ...settled.filter((c) => !c.byUser)]) {
    if (c.role === 'other' || c.role === 'skip') continue;
    if (!kept.has(c.role)) kept.set(c.role, c);
  }
  return settled.map(({ byUser: _byUser, ...c }) => {
    if (c.role === 'other' || c.role === 'skip' || kept.get(c.role)?.key === c.key) return c;
    const used = kept.get(c.role)!;
    return { ...c, role: 'skip', reason: `a second ${SEQUENCE_NAMES[c.role]}: ${used.label} is used (${c.reason})` };
  });
}

export function foundPatient(caseId: string, folder: string, candidates: NiftiCandidate[]): FoundPatient {
  const series: FoundSeries[] = candidates.map(({ key, label, role, reason }) => ({ key, label, role, reason }));
  return { format: 'nifti', caseId, folder, series, load: () => loadPatient(candidates) };
}

async function loadPatient(candidates: readonly NiftiCandidate[]): Promise<LoadedPatient> {
  const patient: LoadedPatient = { sequences: {}, label: null, warnings: [] };
  // T2 is recognised and reported, but the model does not read it: its voxels are not loaded.
  const used = candidates.filter((c) => c.role !== 'other' && c.role !== 'skip' && c.role !== 't2');
  for (const c of candidates) {
    if (c.role === 'skip' && c.reason.startsWith('a second')) patient.warnings.push(`${c.label} left out: ${c.reason}`);
  }
  const files = [...new Set(used.map((c) => c.file))];
  // Inflated side by side: node:zlib works on its thread pool, so a BraTS case's files use both cores.
  const read = await Promise.all(files.map((file) => readNiftiVolumes(file, used.filter((c) => c.file === file).map((c) => c.volumeIndex))));
  files.forEach((file, f) => {
    const inFile = used.filter((c) => c.file === file);
    const { header, volumes } = read[f]!;
    const headerBase64 = Buffer.from(header.bytes).toString('base64');
    for (const w of header.warnings) patient.warnings.push(`${path.basename(file)}: ${w}`);
    inFile.forEach((c, n) => {
      patient.warnings.push(...c.warnings);
      const origin: NiftiOrigin = { format: 'nifti', file, header: headerBase64, volumeIndex: c.volumeIndex };
      const loaded: LoadedVolume = { volume: volumes[n]!, origin, label: c.label };
      if (c.role === 'label') patient.label = loaded;
      else if (c.role !== 'other' && c.role !== 'skip') patient.sequences[c.role] = loaded;
    });
  });
  return patient;
}
