// What the importer asks of every format: find the patients under a folder. The LGG dataset's TIFF slices come as
// images on disk already; the scanner formats (NIfTI, DICOM) come as volumes that the importer lays out as slices.
import type { PatientFolder } from '../scan.js';
import type { FoundPatient, ScanOptions, SkippedFile, VolumeFormat } from './volume-format.js';

/** A patient as a format found it: ready-made slice files, or volumes still to be read. */
export type ImportCandidate =
  | { kind: 'slices'; format: 'lgg-tiff'; caseId: string; folder: PatientFolder; /** the dataset's clinical table, if any */ dataCsv: string | null }
  | { kind: 'volumes'; format: VolumeFormat['name']; caseId: string; patient: FoundPatient };

export interface ImportFormat {
  readonly name: ImportCandidate['format'];
  /** Finds this format's patients under a resolved folder; unusable files of this format go to `skipped`. */
  scan(root: string, options: ScanOptions, skipped: SkippedFile[]): Promise<ImportCandidate[]>;
}

/** A scanner format as an import format. */
export function volumeImportFormat(format: VolumeFormat): ImportFormat {
  return {
    name: format.name,
    async scan(root, options, skipped) {
      const patients = await format.scan(root, options, skipped);
      return patients.map((patient) => ({ kind: 'volumes', format: format.name, caseId: patient.caseId, patient }));
    },
  };
}
