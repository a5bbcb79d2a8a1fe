import { exportPatients } from '../../exporter/export.js';
import { localImageFile } from '../../catalog/stored-files.js';
import { imageCacheDir } from '../../home.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs } from '../parse.js';

export const usage = 'brainseg export <dir> [--patient ID] [--overwrite-originals] [--json]   write current masks in the dataset layout';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', context.args, {
    patient: { type: 'string' },
    json: { type: 'boolean' },
    'overwrite-originals': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError(`usage: ${usage}`, 2);
  const report = await withCatalog(context, (db) =>
    exportPatients(db, positionals[0]!, {
      caseId: values.patient, overwriteOriginals: Boolean(values['overwrite-originals']),
      imageFile: (slice) => localImageFile(db, slice, imageCacheDir(context.home)),
    }).catch((error: Error) => {
      throw new CliError(error.message);
    }),
  );
  if (values.json) printJson(context, report);
  else {
    context.stdout.write(`Exported ${report.patients} patients, ${report.slices} slices, ${report.masks} masks to ${report.folder}\n`);
    for (const item of report.skipped) context.stdout.write(`skipped: ${item.file}: ${item.reason}\n`);
  }
  return report.skipped.length > 0 ? 1 : 0;
}
