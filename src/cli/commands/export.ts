import { currentAuthor } from '../../catalog/masks.js';
import { localImageFile } from '../../catalog/stored-files.js';
import { EXPORT_FORMAT_NAMES, EXPORT_FORMATS, type ExportFormatName } from '../../exporter/registry.js';
import { imageCacheDir } from '../../home.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs } from '../parse.js';

export const usage =
  'brainseg export <dir> [--format dataset|nifti|dicom-seg] [--predictions] [--patient ID] [--overwrite-originals] [--json]   ' +
  'write the current masks (or the active model\'s predictions)';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', context.args, {
    patient: { type: 'string' },
    format: { type: 'string', default: 'dataset' },
    predictions: { type: 'boolean' },
    json: { type: 'boolean' },
    'overwrite-originals': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError(`usage: ${usage}`, 2);
  const format = values.format as ExportFormatName;
  if (!EXPORT_FORMAT_NAMES.includes(format)) throw new CliError(`--format takes ${EXPORT_FORMAT_NAMES.join(', ')}; got "${values.format}"`, 2);
  const report = await withCatalog(context, (db) =>
    EXPORT_FORMATS[format](db, positionals[0]!, {
      caseId: values.patient, overwriteOriginals: Boolean(values['overwrite-originals']), predictions: Boolean(values.predictions),
      imageFile: (slice) => localImageFile(db, slice, imageCacheDir(context.home)), author: currentAuthor(),
    }).catch((error: Error) => {
      throw new CliError(error.message);
    }),
  );
  if (values.json) printJson(context, report);
  else {
    if (format === 'dataset') {
      context.stdout.write(`Exported ${report.patients} patients, ${report.slices} slices, ${report.masks} masks to ${report.folder}\n`);
    } else {
      const what = values.predictions ? 'predictions' : 'masks';
      context.stdout.write(`Exported ${report.patients} patients (${report.slices} slices, ${report.masks} with a lesion in the ${what}) to ${report.folder}\n`);
    }
    for (const file of report.files) context.stdout.write(`wrote ${file}\n`);
    for (const item of report.skipped) context.stdout.write(`skipped: ${item.file}: ${item.reason}\n`);
  }
  return report.skipped.length > 0 ? 1 : 0;
}
