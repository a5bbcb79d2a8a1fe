import type { ImportProgress, ImportReport } from '../api/contract.js';
import { serializeWriters, writeTransaction, type CatalogDb } from '../catalog/db.js';
import { saveMaskVersion } from '../catalog/masks.js';
import { countSplits, findPatientByCaseId, insertPatient } from '../catalog/patients.js';
import { insertSlice, listSlices } from '../catalog/slices.js';
import { storeImage, storesFiles } from '../catalog/stored-files.js';
import { assignSplits } from '../catalog/split.js';
import type { Split } from '../catalog/types.js';
import { mapWithConcurrency } from '../util/pool.js';
import { clinicalRowFor, readClinicalTable, type ClinicalTable } from './data-csv.js';
import { hashImage, readSlice, SliceReadError, type ReadSlice } from './read-slice.js';
import { institutionOf, scanImportPath, type PatientFolder, type SkippedFile } from './scan.js';

export type { ImportProgress, ImportReport };

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Files decoded at once: sharp decodes on its own thread pool, so a few in flight keep both cores busy. */
  concurrency?: number;
}

type SliceOutcome =
  | { kind: 'new'; slice: ReadSlice }
  | { kind: 'unchanged' }
  | { kind: 'changed'; file: string }
  | { kind: 'failed'; file: string; reason: string };

/**
 * Imports a patient folder, a dataset root of patient folders, or a folder of unmasked slices. Each patient is
 * written in one transaction, so a failure leaves nothing half-written; unreadable files are reported and skipped.
 */
export async function importPath(db: CatalogDb, root: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const scan = scanImportPath(root);
  const skipped = [...scan.skipped];
  const clinical = loadClinical(scan.dataCsv, skipped);
  const newCaseIds: string[] = [];
  for (const patient of scan.patients) if (!(await findPatientByCaseId(db, patient.caseId))) newCaseIds.push(patient.caseId);
  const splits = assignSplits(newCaseIds, await countSplits(db));

  const report: ImportReport = {
    patients: 0, slices: 0, masks: 0, lesionSlices: 0, skipped, unchanged: 0, changed: [], seconds: 0,
    caseIds: scan.patients.map((p) => p.caseId),
  };
  const total = scan.patients.reduce((sum, p) => sum + p.slices.length, 0);
  let done = 0;
  for (const folder of scan.patients) {
    const outcomes = await readPatient(db, folder, options.concurrency ?? 6, () => {
      options.onProgress?.({ done: ++done, total, patient: folder.caseId });
    });
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
      added = await writePatient(db, folder, fresh, splits.get(folder.caseId) ?? 'train', clinical);
    } catch (error) {
      // One patient's failure (its transaction rolled back) is reported; the other patients still import.
      skipped.push({ file: folder.folder, reason: `patient not imported: ${error instanceof Error ? error.message : String(error)}` });
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

async function readPatient(
  db: CatalogDb,
  folder: PatientFolder,
  concurrency: number,
  onSlice: () => void,
): Promise<SliceOutcome[]> {
  const existing = await findPatientByCaseId(db, folder.caseId);
  const known = new Map(existing ? (await listSlices(db, existing.id)).map((s) => [s.number, s.contentHash]) : []);
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

async function writePatient(
  db: CatalogDb,
  folder: PatientFolder,
  slices: readonly ReadSlice[],
  split: Split,
  clinical: ClinicalTable | null,
): Promise<{ patient: boolean; masks: number; lesionSlices: number }> {
  return writeTransaction(db, async (trx) => {
    // Two workstations importing the same patient into one team catalog take turns: the second adds only slices.
    await serializeWriters(trx, 'patients');
    let patient = await findPatientByCaseId(trx, folder.caseId);
    const isNew = !patient;
    patient ??= await insertPatient(trx, {
      caseId: folder.caseId,
      institution: institutionOf(folder.caseId),
      sourceFolder: folder.folder,
      clinical: clinical ? clinicalRowFor(clinical, folder.caseId) : null,
      split,
    });
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
