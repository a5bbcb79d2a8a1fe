import type { ExportReport } from '../contract/index.js';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogDb } from '../catalog/db.js';
import { currentMaskVersion, readMaskBitmap } from '../catalog/masks.js';
import { findPatientByCaseId, listPatients } from '../catalog/patients.js';
import { listSlices } from '../catalog/slices.js';
import type { Patient, Slice } from '../catalog/types.js';
import { writeMaskFile } from '../imaging/mask-file.js';
import { atomically } from '../util/atomic-file.js';
import { formatCsv, readClinicalTable } from '../importer/data-csv.js';
import type { SkippedFile } from '../importer/scan.js';

/** What an export wrote. */
export type { ExportReport };

/** Raised when an export would overwrite the imported originals' masks and the user has not said it may. */
export class OverwritesOriginalsError extends Error {
  constructor(readonly folder: string, readonly patients: number) {
    super(`${folder} holds the imported originals of ${patients} patient(s): exporting there would replace their ` +
      'original _mask.tif files with the current masks. Choose another folder, or confirm overwriting (--overwrite-originals).');
    this.name = 'OverwritesOriginalsError';
  }
}

export interface ExportOptions {
  caseId?: string;
  /** Write even where the catalogued images live (their original masks are replaced). */
  overwriteOriginals?: boolean;
  /** Where a slice's image is on this machine (a team catalog's come from the database); default: its import path. */
  imageFile?: (slice: Slice) => Promise<string>;
}

/**
 * Writes patients in the dataset's own layout: `<dir>/<case>/<stem>.tif` (the original image, byte for byte)
 * and `<stem>_mask.tif` (the current mask, 0/255), plus `data.csv` rows — so the folder imports back unchanged.
 * Refuses the folder the originals were imported from unless told otherwise, and merges into an existing
 * `data.csv`: rows of patients it does not export stay as they were.
 */
export async function exportPatients(db: CatalogDb, dir: string, options: ExportOptions = {}): Promise<ExportReport> {
  const patients = options.caseId ? [await requirePatient(db, options.caseId)] : await listPatients(db);
  const report: ExportReport = { patients: 0, slices: 0, masks: 0, skipped: [], folder: path.resolve(dir), files: [] };
  await makeFolder(report.folder);
  const target = await realpath(report.folder);
  // The folder a patient is written to is <target>/<case id>: if its images were imported from there, the
  // export would replace their original masks.
  const originalsHere: Patient[] = [];
  for (const p of patients) {
    if ((await listSlices(db, p.id)).some((s) => path.dirname(s.imagePath) === path.join(target, p.caseId))) originalsHere.push(p);
  }
  if (originalsHere.length > 0 && !options.overwriteOriginals) throw new OverwritesOriginalsError(target, originalsHere.length);
  for (const patient of patients) {
    const folder = path.join(report.folder, patient.caseId);
    await makeFolder(folder);
    for (const slice of await listSlices(db, patient.id)) {
      const stem = path.basename(slice.imagePath).replace(/\.tiff?$/i, '');
      try {
        const source = options.imageFile ? await options.imageFile(slice) : slice.imagePath;
        await atomically(path.join(folder, path.basename(slice.imagePath)), (tmp) => copyFile(source, tmp));
        report.slices++;
      } catch (error) {
        report.skipped.push({ file: slice.imagePath, reason: `image not copied: ${(error as Error).message}` });
      }
      const current = await currentMaskVersion(db, slice.id);
      if (!current) continue;
      const mask = await readMaskBitmap(db, current.id);
      await atomically(path.join(folder, `${stem}_mask.tif`), (tmp) => writeMaskFile(mask, tmp, 'tiff'));
      report.masks++;
    }
    report.patients++;
  }
  const clinicalRows = patients.flatMap((p) => (p.clinical ? [p.clinical] : []));
  if (clinicalRows.length) await writeDataCsv(path.join(report.folder, 'data.csv'), clinicalRows, report.skipped);
  return report;
}

/**
 * Writes our rows into data.csv, keeping every row of a patient we did not export (a dataset's table lists all of
 * its patients). A data.csv we cannot read is left alone and ours goes beside it.
 */
async function writeDataCsv(file: string, rows: Record<string, string>[], skipped: SkippedFile[]): Promise<void> {
  let merged = rows;
  if (existsSync(file)) {
    try {
      const existing = readClinicalTable(file);
      const ours = new Set(rows.map((r) => r['Patient']));
      merged = [...[...existing.values()].filter((r) => !ours.has(r['Patient'])), ...rows];
    } catch (error) {
      const beside = path.join(path.dirname(file), 'data.brainseg.csv');
      skipped.push({ file, reason: `not merged (${(error as Error).message}); wrote the exported rows to ${beside}` });
      file = beside;
    }
  }
  await atomically(file, (tmp) => writeFile(tmp, formatCsv(merged)));
}

/**
 * Creates a folder and its missing parents one level at a time. Node's recursive mkdir spins without end on some
 * virtual file systems (/proc/x); a plain mkdir per level fails at once with a reason instead.
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const found = await stat(at).catch(() => null);
    if (found) {
      if (!found.isDirectory()) throw new Error(`cannot export to ${dir}: ${at} is not a folder`);
      break;
    }
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new Error(`cannot create the folder ${folder} (${error.code ?? error.message})`);
    });
  }
}

async function requirePatient(db: CatalogDb, caseId: string): Promise<Patient> {
  const patient = await findPatientByCaseId(db, caseId);
  if (!patient) throw new Error(`no patient ${caseId} in the catalog`);
  return patient;
}
