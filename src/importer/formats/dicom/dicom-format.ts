// DICOM as a volume format: any folder tree of DICOM files (with or without a DICOMDIR, any file names) becomes one
// patient per study, its series classified as FLAIR, T1, T1c, T2 or other from their headers alone; `load` reads
// the pixels of the series in use.
import type { FoundPatient, LoadedPatient, LoadedVolume, ScanOptions, SkippedFile, VolumeFormat } from '../volume-format.js';
import { caseIdsOf } from './case-ids.js';
import { chooseRoles, type SeriesChoice } from './choose-roles.js';
import { collectHeaders } from './collect-headers.js';
import { commonFolder, groupStudies } from './group-series.js';
import { loadSeries } from './load-series.js';

async function loadChoices(choices: readonly SeriesChoice[]): Promise<LoadedPatient> {
  const patient: LoadedPatient = { sequences: {}, label: null, warnings: [] };
  for (const { series, found } of choices) {
    if (found.role === 'skip' || found.role === 'other') continue;
    const { volume, origin } = await loadSeries(series);
    const loaded: LoadedVolume = { volume, origin, label: found.label };
    for (const warning of series.geometry.warnings) patient.warnings.push(`${found.label}: ${warning}`);
    if (found.role === 'label') patient.label = loaded;
    else patient.sequences[found.role] = loaded;
  }
  for (const { found } of choices) {
    if (found.role === 'skip' && found.reason.includes('another')) patient.warnings.push(`${found.label} left out: ${found.reason}`);
  }
  return patient;
}

export const dicomFormat: VolumeFormat = {
  name: 'dicom',
  async scan(root: string, options: ScanOptions, skipped: SkippedFile[]): Promise<FoundPatient[]> {
    const headers = await collectHeaders(root, skipped);
    const studies = groupStudies(headers, skipped);
    const caseIds = caseIdsOf(studies);
    return studies.map((study, i) => {
      const choices = chooseRoles(study.series, options.overrides);
      return {
        format: 'dicom',
        caseId: caseIds[i]!,
        folder: commonFolder(study.files),
        series: choices.map((c) => c.found),
        load: () => loadChoices(choices),
      };
    });
  },
};
