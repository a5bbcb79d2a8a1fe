import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogDb } from '../catalog/db.js';
import { currentMaskVersion, readMaskBitmap } from '../catalog/masks.js';
import { findPatientByCaseId, listPatients } from '../catalog/patients.js';
import { listSlices } from '../catalog/slices.js';
import type { Patient } from '../catalog/types.js';
import { writeMaskFile } from '../imaging/mask-file.js';
import { formatCsv } from '../importer/data-csv.js';
import type { SkippedFile } from '../importer/scan.js';

/** What an export wrote. */
export interface ExportReport {
  patients: number;
  slices: number;
  masks: number;
  skipped: SkippedFile[];
  folder: string;
}

/**
 * Writes patients in the dataset's own layout: `<dir>/<case>/<stem>.tif` (the original image, byte for byte)
 * and `<stem>_mask.tif` (the current mask, 0/255), plus `data.csv` rows — so the folder imports back unchanged.
 */
export async function exportPatients(db: CatalogDb, dir: string, caseId?: string): Promise<ExportReport> {
  const patients = caseId ? [requirePatient(db, caseId)] : listPatients(db);
  const report: ExportReport = { patients: 0, slices: 0, masks: 0, skipped: [], folder: path.resolve(dir) };
  for (const patient of patients) {
    const folder = path.join(report.folder, patient.caseId);
    await mkdir(folder, { recursive: true });
    for (const slice of listSlices(db, patient.id)) {
      const stem = path.basename(slice.imagePath).replace(/\.tiff?$/i, '');
      try {
        await atomically(path.join(folder, path.basename(slice.imagePath)), (tmp) => copyFile(slice.imagePath, tmp));
        report.slices++;
      } catch (error) {
        report.skipped.push({ file: slice.imagePath, reason: `image not copied: ${(error as Error).message}` });
      }
      const current = currentMaskVersion(db, slice.id);
      if (!current) continue;
      const mask = readMaskBitmap(db, current.id);
      await atomically(path.join(folder, `${stem}_mask.tif`), (tmp) => writeMaskFile(mask, tmp, 'tiff'));
      report.masks++;
    }
    report.patients++;
  }
  const clinicalRows = patients.flatMap((p) => (p.clinical ? [p.clinical] : []));
  if (clinicalRows.length) await writeFile(path.join(report.folder, 'data.csv'), formatCsv(clinicalRows));
  return report;
}

function requirePatient(db: CatalogDb, caseId: string): Patient {
  const patient = findPatientByCaseId(db, caseId);
  if (!patient) throw new Error(`no patient ${caseId} in the catalog`);
  return patient;
}

// Write beside the target and rename, so a crash never leaves a half-written file under the final name.
async function atomically(target: string, write: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  await write(tmp);
  await rename(tmp, target);
}
