// The LGG dataset's layout: `<case>/<case>_<n>.tif` slices with `_mask.tif` beside them, and a `data.csv`.
import { scanTiffFolders } from '../../scan.js';
import type { ImportFormat } from '../import-format.js';

export const lggTiffFormat: ImportFormat = {
  name: 'lgg-tiff',
  async scan(root, _options, skipped) {
    const result = scanTiffFolders(root, skipped);
    return result.patients.map((folder) => ({ kind: 'slices', format: 'lgg-tiff', caseId: folder.caseId, folder, dataCsv: result.dataCsv }));
  },
};
