// The formats masks go out in. Adding one: a folder under formats/ and a line here.
import { EXPORT_FORMATS as EXPORT_FORMAT_NAMES, type ExportFormatName, type ExportReport } from '../contract/index.js';
import type { CatalogDb } from '../catalog/db.js';
import type { Slice } from '../catalog/types.js';
import { exportPatients } from './export.js';
import { exportVolumes } from './volumes/volume-export.js';

export { EXPORT_FORMAT_NAMES, type ExportFormatName };

export interface ExportRequest {
  caseId?: string;
  /** The active model's predictions instead of the masks (label volumes only). */
  predictions?: boolean;
  overwriteOriginals?: boolean;
  imageFile?: (slice: Slice) => Promise<string>;
  author?: string;
}

export const EXPORT_FORMATS: Record<ExportFormatName, (db: CatalogDb, dir: string, request: ExportRequest) => Promise<ExportReport>> = {
  dataset: (db, dir, request) => {
    if (request.predictions) throw new Error('predictions go out as label volumes: use --format nifti or dicom-seg');
    return exportPatients(db, dir, request);
  },
  nifti: (db, dir, request) => exportVolumes(db, dir, 'nifti', request),
  'dicom-seg': (db, dir, request) => exportVolumes(db, dir, 'dicom-seg', request),
};
