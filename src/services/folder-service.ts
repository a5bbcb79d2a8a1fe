import path from 'node:path';
import type { CatalogDb } from '../catalog/db.js';
import { findPatientByCaseId } from '../catalog/patients.js';
import { localImageFile } from '../catalog/stored-files.js';
import { imageCacheDir, type HomePaths } from '../home.js';
import type { EventSink, ExportReport, ImportReport } from '../api/contract.js';
import { exportPatients } from '../exporter/export.js';
import { importPath } from '../importer/import.js';

/** Importing and exporting folders typed or chosen in the UI. */
export interface FolderService {
  importFolder(folder: string): Promise<ImportReport>;
  exportMasks(folder: string, options: { caseId?: string; overwriteOriginals?: boolean }): Promise<ExportReport>;
}

/**
 * The path is typed in a browser that may not run where the server does: a relative one would silently resolve
 * against wherever `brainseg serve` happened to start, so only full paths are taken.
 */
function requireAbsolute(folder: string): string {
  if (!path.isAbsolute(folder)) throw new Error(`give the folder's full path (starting with /), not "${folder}"`);
  return folder;
}

/** `onImported`: the catalog ids of every patient the folder held, in import order (to predict them). */
export function createFolderService(db: CatalogDb, home: HomePaths, emit: EventSink, onImported: (patientIds: number[]) => void = () => undefined): FolderService {
  return {
    async importFolder(folder) {
      const report = await importPath(db, requireAbsolute(folder), { onProgress: (p) => emit('import:progress', p) });
      const patientIds: number[] = [];
      for (const caseId of report.caseIds) {
        const patient = await findPatientByCaseId(db, caseId);
        if (patient) patientIds.push(patient.id);
      }
      onImported(patientIds);
      return report;
    },
    exportMasks: async (folder, options) =>
      exportPatients(db, requireAbsolute(folder), { ...options, imageFile: (slice) => localImageFile(db, slice, imageCacheDir(home)) }),
  };
}
