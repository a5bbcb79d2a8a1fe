// The formats the importer knows, in the order they are asked. Adding one: a folder beside these and a line here.
import { dicomFormat } from './dicom/dicom-format.js';
import { volumeImportFormat, type ImportFormat } from './import-format.js';
import { lggTiffFormat } from './lgg-tiff/lgg-tiff-format.js';
import { niftiFormat } from './nifti/nifti-format.js';

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  lggTiffFormat,
  volumeImportFormat(niftiFormat),
  volumeImportFormat(dicomFormat),
];
