import type { ImportProgress, ImportReport } from '../contract/index.js';
import path from 'node:path';
import { serializeWriters, writeTransaction, type CatalogDb } from '../catalog/db.js';
import { saveMaskVersion } from '../catalog/masks.js';
import { insertPatientGeometry, type PatientGeometry } from '../catalog/patient-volumes.js';
import { countSplits, findPatientByCaseId, insertPatient, setPatientSpacing } from '../catalog/patients.js';
import { insertSlice, listSlices } from '../catalog/slices.js';
import { storeImage, storesFiles } from '../catalog/stored-files.js';
import { assignSplits } from '../catalog/split.js';
import type { Split } from '../catalog/types.js';
import { voxelSpacing } from '../imaging/volume/volume.js';
import { fileSafeName } from '../util/file-safe-name.js';
import { mapWithConcurrency } from '../util/pool.js';
import { clinicalRowFor, readClinicalTable, type ClinicalTable } from './data-csv.js';
import type { ImportCandidate } from './formats/import-format.js';
import { findPatients, seriesOf } from './find-patients.js';
import type { SequenceOverride } from './formats/volume-format.js';
import { hashImage, readSlice, SliceReadError, type ReadSlice } from './read-slice.js';
import { institutionOf, resolveImportRoot, type PatientFolder, type SkippedFile } from './scan.js';
import { buildVolumeSlices } from './volumes/volume-slices.js';

export type { ImportProgress, ImportReport };

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Files decoded at once: sharp decodes on its own thread pool, so a few in flight keep both cores busy. */
  concurrency?: number;
  /** Where the slice images made from NIfTI or DICOM volumes are written (`<dir>/<case id>/<n>.png`). */
  volumeImageDir?: string;
  /** The user's word on which file or series is which sequence (it beats the naming rules). */
  overrides?: readonly SequenceOverride[];
  /** Label values that count as lesion (e.g. BraTS 1,2,4); default: any non-zero label. */
  lesionLabels?: readonly number[] | null;
}

type SliceOutcome =
  | { kind: 'new'; slice: ReadSlice }
  | { kind: 'unchanged' }
  | { kind: 'changed'; file: string }
  | { kind: 'failed'; file: string; reason: string };

/** A patient as the catalog is told about it, whatever format it came from. */
interface PatientSource {
  caseId: string;
  folder: string;
  institution: string;
  clinical: Record<string, string> | null;
  geometry: PatientGeometry | null;
}

/**
 * Imports whatever a folder holds: LGG-layout patient or dataset folders, NIfTI patients (BraTS, MSD, one file per
 * sequence) and DICOM trees. Each patient is written in one transaction, so a failure leaves nothing half-written;
 * unreadable files and patients are reported and skipped, and the rest imports.
 */
export async function importPath(db: CatalogDb, root: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const resolved = resolveImportRoot(root);
  const skipped: SkippedFile[] = [];
  const candidates = await findPatients(resolved, options.overrides ?? [], skipped);
  const dataCsv = candidates.find((c) => c.kind === 'slices')?.dataCsv ?? null;
  const clinical = loadClinical(dataCsv, skipped);
  const newCaseIds: string[] = [];
  for (const candidate of candidates) if (!(await findPatientByCaseId(db, candidate.caseId))) newCaseIds.push(candidate.caseId);
  const splits = assignSplits(newCaseIds, await countSplits(db));

  const report: ImportReport = {
    patients: 0, slices: 0, masks: 0, lesionSlices: 0, skipped, unchanged: 0, changed: [], seconds: 0,
    caseIds: candidates.map((c) => c.caseId), series: seriesOf(candidates), warnings: [],
  };
  // Progress counts LGG slices one by one and each volume patient as one step (its slice count is known only
  // once its volumes are read).
  const total = candidates.reduce((sum, c) => sum + (c.kind === 'slices' ? c.folder.slices.length : 1), 0);
  let done = 0;
  const step = (caseId: string) => options.onProgress?.({ done: ++done, total, patient: caseId });
  for (const candidate of candidates) {
    let source: PatientSource;
    let outcomes: SliceOutcome[];
    if (candidate.kind === 'slices') {
      source = {
        caseId: candidate.caseId, folder: candidate.folder.folder, institution: institutionOf(candidate.caseId),
        clinical: clinical ? clinicalRowFor(clinical, candidate.caseId) : null, geometry: null,
      };
      outcomes = await readPatient(db, candidate.folder, options.concurrency ?? 6, () => step(candidate.caseId));
    } else {
      const read = await readVolumePatient(db, candidate, options).finally(() => step(candidate.caseId));
      if ('reason' in read) {
        skipped.push({ file: candidate.patient.folder, reason: `patient ${candidate.caseId} not imported: ${read.reason}` });
        continue;
      }
      source = read.source;
      outcomes = read.outcomes;
      for (const message of read.source.geometry?.warnings ?? []) report.warnings.push({ caseId: candidate.caseId, message });
    }
    const fresh: ReadSlice[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'new') fresh.push(outcome.slice);
      else if (outcome.kind === 'unchanged') report.unchanged++;
      else if (outcome.kind === 'changed') {
        report.changed.push({ file: outcome.file, reason: 'image differs from the catalogued slice; kept the catalogued one' });
      } else skipped.push({ file: outcome.file, reason: outcome.reason });
    }
    if (fresh.length === 0) continue;
    let added: Awaited<ReturnType<typeof writePatient>>;
    try {
      added = await writePatient(db, source, fresh, splits.get(source.caseId) ?? 'train');
    } catch (error) {
      // One patient's failure (its transaction rolled back) is reported; the other patients still import.
      skipped.push({ file: source.folder, reason: `patient not imported: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    report.patients += added.patient ? 1 : 0;
    report.slices += fresh.length;
    report.masks += added.masks;
    report.lesionSlices += added.lesionSlices;
  }
  report.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  return report;
}

function loadClinical(file: string | null, skipped: SkippedFile[]): ClinicalTable | null {
  if (!file) return null;
  try {
    return readClinicalTable(file);
  } catch (error) {
    skipped.push({ file, reason: `clinical table not read: ${error instanceof Error ? error.message : String(error)}` });
    return null;
  }
}

/** The content hash of each slice a patient already has in the catalog, by slice number (a re-import compares). */
async function cataloguedHashes(db: CatalogDb, caseId: string): Promise<Map<number, string>> {
  const existing = await findPatientByCaseId(db, caseId);
  return new Map(existing ? (await listSlices(db, existing.id)).map((s) => [s.number, s.contentHash]) : []);
}

async function readPatient(
  db: CatalogDb,
  folder: PatientFolder,
  concurrency: number,
  onSlice: () => void,
): Promise<SliceOutcome[]> {
  const known = await cataloguedHashes(db, folder.caseId);
  return mapWithConcurrency(folder.slices, concurrency, async (files): Promise<SliceOutcome> => {
    try {
      const image = await hashImage(files.imagePath);
      const knownHash = known.get(files.number);
      if (knownHash !== undefined) return knownHash === image.hash ? { kind: 'unchanged' } : { kind: 'changed', file: files.imagePath };
      return { kind: 'new', slice: await readSlice(files, image) };
    } catch (error) {
      if (error instanceof SliceReadError) return { kind: 'failed', file: error.file, reason: error.reason };
      throw error;
    } finally {
      onSlice();
    }
  });
}

/** Reads a scanner-format patient's volumes and lays them out as slices; a reason instead when it cannot. */
async function readVolumePatient(
  db: CatalogDb,
  candidate: Extract<ImportCandidate, { kind: 'volumes' }>,
  options: ImportOptions,
): Promise<{ source: PatientSource; outcomes: SliceOutcome[] } | { reason: string }> {
  if (!options.volumeImageDir) return { reason: 'no folder was given for the slice images made from volumes' };
  let built: Awaited<ReturnType<typeof buildVolumeSlices>>;
  try {
    const loaded = await candidate.patient.load();
    built = await buildVolumeSlices(candidate.format, loaded, {
      imageDir: path.join(options.volumeImageDir, fileSafeName(candidate.caseId)),
      lesionLabels: options.lesionLabels ?? null,
    });
  } catch (error) {
    if (error instanceof SliceReadError) return { reason: `${error.file}: ${error.reason}` };
    if (error instanceof Error && /^(VolumeError|DicomError|NiftiError)$/.test(error.name)) return { reason: error.message };
    if (error instanceof RangeError) return { reason: `not enough memory to read it (${error.message})` };
    throw error;
  }
  const known = await cataloguedHashes(db, candidate.caseId);
  const outcomes = built.slices.map((slice): SliceOutcome => {
    const knownHash = known.get(slice.number);
    if (knownHash === undefined) return { kind: 'new', slice };
    return knownHash === slice.contentHash ? { kind: 'unchanged' } : { kind: 'changed', file: `${candidate.patient.folder} (slice ${slice.number})` };
  });
  return {
    source: { caseId: candidate.caseId, folder: candidate.patient.folder, institution: 'unknown', clinical: null, geometry: built.geometry },
    outcomes,
  };
}

async function writePatient(
  db: CatalogDb,
  source: PatientSource,
  slices: readonly ReadSlice[],
  split: Split,
): Promise<{ patient: boolean; masks: number; lesionSlices: number }> {
  return writeTransaction(db, async (trx) => {
    // Two workstations importing the same patient into one team catalog take turns: the second adds only slices.
    await serializeWriters(trx, 'patients');
    let patient = await findPatientByCaseId(trx, source.caseId);
    const isNew = !patient;
    patient ??= await insertPatient(trx, {
      caseId: source.caseId,
      institution: source.institution,
      sourceFolder: source.folder,
      clinical: source.clinical,
      split,
    });
    if (isNew && source.geometry) {
      await insertPatientGeometry(trx, patient.id, source.geometry);
      // The header's voxel size: lesion areas and volumes in mm² and mL with nothing to enter by hand. A pixel of
      // dx × dy is stored as its side √(dx·dy), so areas stay exact for non-square pixels.
      const [dx, dy, dz] = voxelSpacing(source.geometry.grid.affine);
      const pixelMm = Math.sqrt(dx * dy);
      if (pixelMm > 0 && pixelMm < 100 && dz > 0 && dz < 100) await setPatientSpacing(trx, patient.id, { pixelMm, sliceMm: dz });
    }
    let masks = 0;
    let lesionSlices = 0;
    for (const read of slices) {
      const hasLesion = read.mask ? read.mask.data.includes(1) : false;
      const slice = await insertSlice(trx, {
        patientId: patient.id,
        number: read.number,
        imagePath: read.imagePath,
        contentHash: read.contentHash,
        width: read.width,
        height: read.height,
        channels: read.channels,
        hasLesion,
      });
      if (storesFiles(trx)) await storeImage(trx, read.contentHash, read.imageBytes);
      if (read.mask) {
        await saveMaskVersion(trx, slice.id, read.mask, 'imported', { operation: 'import' });
        masks++;
      }
      if (hasLesion) lesionSlices++;
    }
    return { patient: isNew, masks, lesionSlices };
  });
}
