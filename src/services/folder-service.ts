import path from 'node:path';
import type { CatalogDb } from '../catalog/db.js';
import { findPatientByCaseId } from '../catalog/patients.js';
import { localImageFile } from '../catalog/stored-files.js';
import { imageCacheDir, volumeImageDir, type HomePaths } from '../home.js';
import type { EventSink, ExportFormatName, ExportReport, ImportReport, ImportScan, SeriesRole } from '../contract/index.js';
import { currentAuthor } from '../catalog/masks.js';
import { EXPORT_FORMATS } from '../exporter/registry.js';
import { scanImport } from '../importer/find-patients.js';
import { importPath } from '../importer/import.js';

/** The import dialog's choices: which series is which, which label values are lesion. */
export interface ImportChoices {
  sequences?: Array<{ role: SeriesRole; key: string }>;
  labels?: number[];
}

/** Importing and exporting folders typed or chosen in the UI. */
export interface FolderService {
  importFolder(folder: string, choices?: ImportChoices): Promise<ImportReport>;
  scanFolder(folder: string, choices?: ImportChoices): Promise<ImportScan>;
  exportMasks(folder: string, options: { caseId?: string; overwriteOriginals?: boolean; format?: ExportFormatName; predictions?: boolean }): Promise<ExportReport>;
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
    async importFolder(folder, choices = {}) {
      const report = await importPath(db, requireAbsolute(folder), {
        onProgress: (p) => emit('import:progress', p),
        volumeImageDir: volumeImageDir(home),
        overrides: choices.sequences ?? [],
        lesionLabels: choices.labels ?? null,
      });
      const patientIds: number[] = [];
      for (const caseId of report.caseIds) {
        const patient = await findPatientByCaseId(db, caseId);
        if (patient) patientIds.push(patient.id);
      }
      onImported(patientIds);
      return report;
    },
    scanFolder: (folder, choices = {}) => scanImport(requireAbsolute(folder), choices.sequences ?? []),
    exportMasks: async (folder, { format = 'dataset', ...options }) =>
      EXPORT_FORMATS[format](db, requireAbsolute(folder), {
        ...options, imageFile: (slice) => localImageFile(db, slice, imageCacheDir(home)), author: currentAuthor(),
      }),
  };
}
